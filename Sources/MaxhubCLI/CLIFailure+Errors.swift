import MaxhubArchive
import MaxhubClient
import MaxhubCore

extension CLIFailure {
    /// The exit code a hub's refusal means: 3 for 404, 5 for 401 and 403, 4 for a blob damaged on the hub, 1 otherwise.
    init(_ error: HubClientError) {
        if case .damagedOnHub = error {
            self.init(error.description, code: .verificationFailed)
            return
        }
        switch error.status {
        case 404: self.init(error.description, code: .notFound)
        case 401, 403: self.init(error.description, code: .notAuthorized)
        default: self.init(error.description)
        }
    }

    /// The one line and exit code of an error from the Client, the archive tools or Core; nil for any other error.
    init?(reporting error: any Error) {
        switch error {
        case let failure as CLIFailure:
            self = failure
        case let error as HubClientError:
            self.init(error)
        case let error as PullError:
            self.init(error.description, code: error.isVerificationFailure ? .verificationFailed : .notFound)
        case let error as LaunchError:
            self.init(error.description, code: error.isUsage ? .usage : .failure)
        case let error as ClaimCheckError:
            self.init(error.description, code: error.isVerificationFailure ? .verificationFailed : .notFound)
        case let error as PublishError:
            switch error {
            case .noPackage: self.init(error.description, code: .notFound)
            case .archiveMismatch: self.init(error.description, code: .verificationFailed)
            default: self.init(error.description)
            }
        case let error as DownloadError:
            self.init(error.description)
        case let error as PackageReferenceError:
            self.init(error.description, code: .usage)
        case let error as PackageSkeletonError:
            if case .unknownTask = error { self.init(error.description, code: .usage) } else { self.init(error.description) }
        default:
            return nil
        }
    }
}
