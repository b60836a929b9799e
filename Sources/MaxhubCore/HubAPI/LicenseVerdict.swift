/// Corrections to a package's declared licenses; nil parts are confirmed as declared.
public struct LicenseVerdict: Codable, Sendable, Equatable {
    public var code: String?
    public var weights: String?
    public var data: String?

    public init(code: String? = nil, weights: String? = nil, data: String? = nil) {
        self.code = code
        self.weights = weights
        self.data = data
    }
}
