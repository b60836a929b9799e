import MaxhubCore
import MaxhubStore

/// The one place that decides which versions a caller sees and which a range may pick (the README's "Review" section, "Who sees what").
///
/// Readers and anonymous callers see approved versions; a curator also sees every version they published, whatever
/// its state; reviewers and admins see everything. An exact version that was yanked stays fetchable by everyone (as on
/// crates.io), and ranges only ever pick approved versions.
enum VisibilityPolicy {
    static func visibility(for identity: Identity?) -> CatalogVisibility {
        guard let identity else { return CatalogVisibility(states: [.approved]) }
        if identity.roles.permit(.reviewer) { return .everything }
        if identity.roles.permit(.curator) { return CatalogVisibility(states: [.approved], publisher: identity.user) }
        return CatalogVisibility(states: [.approved])
    }

    /// What `GET .../versions/{version}` may show: the visible versions and every yanked one.
    static func exactVisibility(for identity: Identity?) -> CatalogVisibility {
        var visibility = visibility(for: identity)
        visibility.states.insert(.yanked)
        return visibility
    }

    /// The states a range may resolve to, among the visible versions.
    static let resolvableStates: Set<ReviewState> = [.approved]
}
