import MaxhubClient

extension HubOptions {
    /// Runs a request against the hub, turning its refusals into the CLI's exit codes.
    func call<T>(_ body: (HubClient) async throws -> T) async throws -> T {
        do {
            return try await body(try client())
        } catch let error as HubClientError {
            throw CLIFailure(error)
        }
    }
}
