extension SignatureBundle {
    /// Checks a files bundle: signed by one of `keys`, and its statement lists exactly `files` (path → sha256 hex).
    public func verifyFiles(_ files: [String: String], trusting keys: [HubPublicKey]) throws(SignatureError) -> (FilesStatement, HubPublicKey) {
        let (payload, key) = try verifiedPayload(trusting: keys)
        let statement = try FilesStatement(json: payload)
        let problems = statement.differences(from: files)
        guard problems.isEmpty else { throw .filesDiffer(problems) }
        return (statement, key)
    }

    /// Checks a review bundle: signed by one of `keys`, approving `name@version` with `archive`, and naming the files
    /// statement `filesDigest`.
    public func verifyReview(
        of name: ModelName, _ version: Version, archive: Digest, filesDigest: String, trusting keys: [HubPublicKey]
    ) throws(SignatureError) -> (ReviewStatement, HubPublicKey) {
        let (payload, key) = try verifiedPayload(trusting: keys)
        let statement = try ReviewStatement(json: payload)
        try statement.requireSubject(name, version, archive: archive)
        guard statement.predicate.filesDigest == filesDigest else {
            throw .subjectDiffers("the review statement names the files \(statement.predicate.filesDigest), not \(filesDigest)")
        }
        return (statement, key)
    }
}
