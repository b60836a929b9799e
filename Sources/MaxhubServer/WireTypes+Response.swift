import Hummingbird
import MaxhubCore

// The API's wire types, defined in Core, answer requests as JSON.
extension ModelPage: ResponseEncodable {}
extension ModelDetail: ResponseEncodable {}
extension VersionDetail: ResponseEncodable {}
extension Resolution: ResponseEncodable {}
extension TokenInfo: ResponseEncodable {}
extension WhoAmI: ResponseEncodable {}
extension ArchiveReference: ResponseEncodable {}
extension UploadStatus: ResponseEncodable {}
extension ReviewQueue: ResponseEncodable {}
extension AuditPage: ResponseEncodable {}
extension SigningKeyList: ResponseEncodable {}
