import MaxhubCore
import MaxhubStore

/// The one place that decides which versions a caller sees and which a range may pick.
///
/// Until review decisions exist, a published (`pending`) version is visible to everyone and resolvable, so a hub is
/// usable from its first publish; rejected and yanked versions are never picked by a range.
enum VisibilityPolicy {
    static func visibility(for identity: Identity?) -> CatalogVisibility {
        .everything
    }

    /// The states a range may resolve to, among the visible versions.
    static let resolvableStates: Set<ReviewState> = [.pending, .approved]
}
