import Foundation
import HTTPTypes
import MaxhubCore

extension HTTPField.Name {
    static let dockerContentDigest = HTTPField.Name("Docker-Content-Digest")!
    static let dockerUploadUUID = HTTPField.Name("Docker-Upload-UUID")!
    static let reprDigest = HTTPField.Name("Repr-Digest")!
    static let contentDigest = HTTPField.Name("Content-Digest")!
    static let legacyDigest = HTTPField.Name("Digest")!
    static let warning = HTTPField.Name("Warning")!
    /// On a `PATCH` without `Content-Range`: where the chunk starts, which must be where the upload ends (as in the
    /// IETF draft on resumable uploads), so that a resumed stream never lands after bytes still arriving from a
    /// connection that broke.
    static let uploadOffset = HTTPField.Name("Upload-Offset")!
    /// What every answer under `/v2/` carries, as distribution registries do.
    static let dockerDistributionAPIVersion = HTTPField.Name("Docker-Distribution-API-Version")!
    /// RFC 8288 links: the next page of `tags/list`.
    static let registryLink = HTTPField.Name("Link")!
    static let ociSubject = HTTPField.Name("OCI-Subject")!
    static let ociFiltersApplied = HTTPField.Name("OCI-Filters-Applied")!
}

extension Digest {
    /// The digest as base64, as RFC 9530 (`sha-256=:...:`) and RFC 3230 (`sha-256=...`) headers write it.
    var base64: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index..<next], radix: 16) ?? 0)
            index = next
        }
        return Data(bytes).base64EncodedString()
    }
}
