import Crypto
import Foundation
import MaxhubStore
import MaxhubTestSupport
import Testing

/// The signer against AWS's published examples: the SigV4 test suite's `get-vanilla`, and the S3 developer guide's
/// header-signed requests and presigned URL (all with AWS's example credentials). The real server's check is in
/// `BlobStoreContract` against SeaweedFS, and `S3BlobStoreTests` shows a wrong secret refused.
@Suite(.onTestThreads) struct SigV4Tests {
    private static let s3Example = SigV4(
        credentials: .init(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        region: "us-east-1")
    /// Friday, 24 May 2013, 00:00:00 UTC.
    private static let s3ExampleDate = Date(timeIntervalSince1970: 1_369_353_600)
    private static let host = "examplebucket.s3.amazonaws.com"

    private static func signature(_ headers: [(name: String, value: String)]) -> String? {
        guard let authorization = headers.first(where: { $0.name == "authorization" })?.value,
            let range = authorization.range(of: "Signature=")
        else { return nil }
        return String(authorization[range.upperBound...])
    }

    @Test func theTestSuitesVanillaGet() {
        let signer = SigV4(
            credentials: .init(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
            region: "us-east-1", service: "service")
        let headers = signer.sign(
            .init(method: "GET", host: "example.amazonaws.com", path: "/"), payloadHash: SigV4.emptyPayload,
            at: Date(timeIntervalSince1970: 1_440_938_160))
        #expect(headers.first { $0.name == "x-amz-date" }?.value == "20150830T123600Z")
        #expect(headers.first { $0.name == "authorization" }?.value == """
            AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, \
            SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31
            """)
    }

    @Test func anS3GetOfARange() {
        let request = SigV4.Request(method: "GET", host: Self.host, path: "/test.txt", headers: [("Range", "bytes=0-9")])
        let headers = Self.s3Example.sign(request, payloadHash: SigV4.emptyPayload, at: Self.s3ExampleDate)
        #expect(headers.first { $0.name == "authorization" }?.value == """
            AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, \
            SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, \
            Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41
            """)
        #expect(headers.first { $0.name == "x-amz-content-sha256" }?.value == SigV4.emptyPayload)
    }

    @Test func anS3PutWithABodyAndAKeyThatNeedsEncoding() {
        let body = SHA256.hash(data: Data("Welcome to Amazon S3.".utf8)).map { String(format: "%02x", $0) }.joined()
        #expect(body == "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072")
        let request = SigV4.Request(
            method: "PUT", host: Self.host, path: "/test$file.text",
            headers: [("Date", "Fri, 24 May 2013 00:00:00 GMT"), ("x-amz-storage-class", "REDUCED_REDUNDANCY")])
        #expect(request.encodedTarget == "/test%24file.text")
        let headers = Self.s3Example.sign(request, payloadHash: body, at: Self.s3ExampleDate)
        #expect(Self.signature(headers) == "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd")
    }

    @Test func anS3GetWithASubresourceAndWithAQuery() {
        let lifecycle = SigV4.Request(method: "GET", host: Self.host, path: "/", query: [("lifecycle", "")])
        #expect(lifecycle.encodedTarget == "/?lifecycle=")
        #expect(Self.signature(Self.s3Example.sign(lifecycle, payloadHash: SigV4.emptyPayload, at: Self.s3ExampleDate))
            == "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543")
        // Given out of order: the canonical query sorts them.
        let list = SigV4.Request(method: "GET", host: Self.host, path: "/", query: [("prefix", "J"), ("max-keys", "2")])
        #expect(list.encodedTarget == "/?max-keys=2&prefix=J")
        #expect(Self.signature(Self.s3Example.sign(list, payloadHash: SigV4.emptyPayload, at: Self.s3ExampleDate))
            == "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7")
    }

    @Test func anS3PresignedGet() {
        let request = SigV4.Request(method: "GET", host: Self.host, path: "/test.txt")
        let query = Self.s3Example.presignedQuery(request, expires: 86400, at: Self.s3ExampleDate)
        let target = SigV4.Request(method: "GET", host: Self.host, path: "/test.txt", query: query).encodedTarget
        #expect(target == """
            /test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2F\
            aws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-Signature=\
            aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404&X-Amz-SignedHeaders=host
            """)
    }

    @Test func aSessionTokenIsSentAndSigned() {
        let signer = SigV4(
            credentials: .init(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "secret", sessionToken: "token/+="),
            region: "eu-west-1")
        let request = SigV4.Request(method: "GET", host: Self.host, path: "/a b/ü")
        #expect(request.encodedTarget == "/a%20b/%C3%BC")
        let headers = signer.sign(request, payloadHash: SigV4.unsignedPayload, at: Self.s3ExampleDate)
        #expect(headers.first { $0.name == "x-amz-security-token" }?.value == "token/+=")
        #expect(headers.first { $0.name == "authorization" }?.value.contains(
            "SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,") == true)
        let presigned = signer.presignedQuery(request, expires: 60, at: Self.s3ExampleDate)
        #expect(presigned.contains { $0.name == "X-Amz-Security-Token" && $0.value == "token/+=" })
    }
}
