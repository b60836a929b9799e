import Foundation
import MaxhubCore

/// `maxhub verify --claims`: pull the package (or re-hash the cached one), start its server as `maxhub run` does, send
/// each claim's evaluation set through the model's standard API, compare, and stop the server.
public struct ClaimCheck: Sendable {
    public var launcher: ModelLauncher
    /// The tolerance for every claim, overriding the manifest's (absolute, in the metric's units).
    public var tolerance: Double?

    public init(launcher: ModelLauncher, tolerance: Double? = nil) {
        self.launcher = launcher
        self.tolerance = tolerance
    }

    /// What the check found.
    public struct Report: Sendable {
        /// `NAME@VERSION` of the package checked.
        public var reference: String
        public var outcomes: [ClaimVerifier.Outcome]
        /// The URL of the server that `maxhub run` had already started and that the claims were checked against, if so.
        public var runningServer: String?

        /// The error that the claims that do not hold make, or nil when all hold.
        public var failure: ClaimCheckError? {
            let failed = outcomes.filter { !$0.holds }
            return failed.isEmpty ? nil : .claimsDoNotHold(reference, failed: failed, of: outcomes.count)
        }
    }

    /// Runs the check; `options.port` nil picks a free port. Throws before any server starts when the package differs
    /// from its manifest or makes no claims.
    public func run(
        _ reference: PackageReference, _ options: ModelLauncher.Options, timeout: Duration,
        progress: @escaping @Sendable (Int64, Int64) -> Void = { _, _ in }
    ) async throws -> Report {
        var options = options
        options.defaultPort = 0
        options.detached = false
        options.checkPort = true
        var model = try await launcher.prepare(reference, options, progress: progress)
        // A package extracted just now was checked file by file; one that was already cached is checked again here.
        let problems = model.justExtracted ? [] : (try? model.cache.verifyPackage(model.manifest.name, model.manifest.version)) ?? []
        guard problems.isEmpty else { throw ClaimCheckError.packageDiffers(model.reference, problems) }
        guard let claims = model.manifest.claims, !claims.isEmpty else { throw ClaimCheckError.noClaims(model.reference) }
        if let existing = RunRegistry(cache: model.cache).record(model.runID), await existing.isAlive(searchPath: launcher.searchPath) {
            // `maxhub run` already serves this version. When it serves the very package just checked, with the runtime
            // asked for, its answers are the ones to check; otherwise a second server starts beside it.
            if existing.package == model.packagePath && (options.runtime == .auto || existing.runtime == model.plan.runtime) {
                let verifier = ClaimVerifier(
                    manifest: model.manifest, packagePath: model.packagePath, serverURL: existing.url, tolerance: tolerance)
                return Report(reference: model.reference, outcomes: await verifier.verify(), runningServer: existing.url)
            }
            options.runName = model.runID + "-claims"
            model = try await launcher.prepare(reference, options, progress: progress)
        }
        let running = try await launcher.start(model, timeout: timeout)
        let verifier = ClaimVerifier(manifest: model.manifest, packagePath: model.packagePath, serverURL: running.url, tolerance: tolerance)
        let outcomes = await verifier.verify()
        await running.stop()
        return Report(reference: model.reference, outcomes: outcomes, runningServer: nil)
    }
}
