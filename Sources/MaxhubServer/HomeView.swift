/// What the home page shows: the search box, the facets to filter by, one page of matching models, and the links to
/// the pages before and after it.
struct HomeView {
    struct Facet {
        var key: String
        var title: String
        var noun: String
        var values: [FacetValue]
        var clearHref: String?
    }

    struct FacetValue {
        var value: String
        var count: Int
        var href: String
        var selected: Bool
    }

    struct Hidden {
        var name: String
        var value: String
    }

    struct Model {
        var name: String
        var href: String
        var version: String
        var state: String
        var showState: Bool
        var task: String
        var framework: String?
        var license: String
        var description: String
    }

    var chrome: PageChrome
    var q: String
    var hiddenFilters: [Hidden]
    var facets: [Facet]
    var summary: String
    var models: [Model]
    var hasPages: Bool
    var page: Int
    var pageCount: Int
    var previousHref: String?
    var nextHref: String?
}
