import Foundation
import MaxhubCore
import MaxhubTestSupport
import Testing
@testable import MaxhubStore

/// What every `CatalogStore` must do for the web catalog's pages (facet counts, model cards), run against each
/// `CatalogStoreKind`.
@Suite(.onTestThreads) struct CatalogPagesContract {
    private typealias Fixtures = CatalogFixtures

    private static let approvedOnly = CatalogVisibility(states: [.approved])

    /// Three models (and a pending one): two image classifiers on onnxruntime and pytorch, one text classifier without a
    /// framework.
    private static func publishFacetModels(_ harness: CatalogHarness) async throws {
        try await harness.publish(
            "one", "1.0.0", task: "image-classification", description: "Digits in images.",
            license: .init(code: "MIT", weights: "MIT", data: "CC0-1.0"), framework: "onnxruntime")
        try await harness.publish(
            "two", "1.0.0", task: "image-classification", description: "Cats in images.",
            license: .init(code: "Apache-2.0", weights: "MIT", data: "CC-BY-4.0"), framework: "pytorch")
        try await harness.publish(
            "three", "1.0.0", task: "text-classification", description: "Sentiment of reviews.",
            license: .init(code: "MIT", weights: "Apache-2.0", data: "CC-BY-4.0"), framework: nil)
        try await harness.publish(
            "hidden", "1.0.0", state: .pending, task: "object-detection", description: "Boxes in images.",
            license: .init(code: "GPL-3.0-only", weights: "GPL-3.0-only", data: "MIT"), framework: "tensorflow", by: "bob")
    }

    @Test(arguments: CatalogStoreKind.allCases)
    func facetsCountVisibleModelsOncePerValue(_ kind: CatalogStoreKind) async throws {
        try await kind.withStore { harness in
            try await Self.publishFacetModels(harness)
            let facets = try await harness.store.facets(ModelQuery(), visibility: Self.approvedOnly)
            #expect(facets.tasks == [.init(value: "image-classification", count: 2), .init(value: "text-classification", count: 1)])
            #expect(facets.frameworks == [.init(value: "onnxruntime", count: 1), .init(value: "pytorch", count: 1)])
            // "one" has MIT for code and weights: it counts once for MIT.
            #expect(
                facets.licenses == [
                    .init(value: "MIT", count: 3), .init(value: "Apache-2.0", count: 2), .init(value: "CC-BY-4.0", count: 2),
                    .init(value: "CC0-1.0", count: 1),
                ])

            let everything = try await harness.store.facets(ModelQuery(), visibility: .everything)
            #expect(everything.tasks.contains(.init(value: "object-detection", count: 1)))
            #expect(everything.frameworks.contains(.init(value: "tensorflow", count: 1)))
            let publisher = try await harness.store.facets(ModelQuery(), visibility: CatalogVisibility(states: [.approved], publisher: "bob"))
            #expect(publisher.licenses.contains(.init(value: "GPL-3.0-only", count: 1)))
        }
    }

    @Test(arguments: CatalogStoreKind.allCases)
    func eachFacetAppliesTheTextAndTheOtherFiltersButNotItsOwn(_ kind: CatalogStoreKind) async throws {
        try await kind.withStore { harness in
            try await Self.publishFacetModels(harness)
            let filtered = try await harness.store.facets(
                ModelQuery(task: "image-classification", framework: "pytorch"), visibility: Self.approvedOnly)
            // Tasks: framework=pytorch only. Frameworks: task=image-classification only. Licenses: both.
            #expect(filtered.tasks == [.init(value: "image-classification", count: 1)])
            #expect(filtered.frameworks == [.init(value: "onnxruntime", count: 1), .init(value: "pytorch", count: 1)])
            #expect(
                filtered.licenses == [
                    .init(value: "Apache-2.0", count: 1), .init(value: "CC-BY-4.0", count: 1), .init(value: "MIT", count: 1),
                ])

            let searched = try await harness.store.facets(ModelQuery(text: "images", license: "CC-BY-4.0"), visibility: Self.approvedOnly)
            #expect(searched.tasks == [.init(value: "image-classification", count: 1)])
            #expect(
                searched.licenses == [
                    .init(value: "MIT", count: 2), .init(value: "Apache-2.0", count: 1), .init(value: "CC-BY-4.0", count: 1),
                    .init(value: "CC0-1.0", count: 1),
                ])
            let nothing = try await harness.store.facets(ModelQuery(text: "zebra"), visibility: Self.approvedOnly)
            #expect(nothing == CatalogFacets())
        }
    }

    @Test(arguments: CatalogStoreKind.allCases)
    func facetsDescribeAModelByItsLatestVisibleVersion(_ kind: CatalogStoreKind) async throws {
        try await kind.withStore { harness in
            try await harness.publish("digits", "1.0.0", task: "image-classification")
            try await harness.publish("digits", "2.0.0", state: .pending, task: "object-detection")
            let anonymous = try await harness.store.facets(ModelQuery(), visibility: Self.approvedOnly)
            #expect(anonymous.tasks == [.init(value: "image-classification", count: 1)])
            let reviewer = try await harness.store.facets(ModelQuery(), visibility: .everything)
            #expect(reviewer.tasks == [.init(value: "object-detection", count: 1)])
        }
    }

    @Test(arguments: CatalogStoreKind.allCases)
    func aModelCardReadsBackForVisibleVersionsOnly(_ kind: CatalogStoreKind) async throws {
        try await kind.withStore { harness in
            let card = ModelCard(text: "# Digits\n\n<script>alert(1)</script> é", truncated: true)
            _ = try await harness.store.publishVersion(try Fixtures.makeVersion(name: "digits", version: "1.0.0+b1", readme: card))
            _ = try await harness.store.publishVersion(try Fixtures.makeVersion(name: "digits", version: "1.1.0"))
            let name = try Fixtures.name("digits")
            #expect(try await harness.store.modelCard(of: name, version: try Fixtures.version("1.0.0"), visibility: .everything) == card)
            #expect(try await harness.store.modelCard(of: name, version: try Fixtures.version("1.1.0"), visibility: .everything) == nil)
            #expect(try await harness.store.modelCard(of: name, version: try Fixtures.version("1.0.0"), visibility: Self.approvedOnly) == nil)
            try await harness.setState("digits", "1.0.0", .approved)
            #expect(try await harness.store.modelCard(of: name, version: try Fixtures.version("1.0.0"), visibility: Self.approvedOnly) == card)
            #expect(try await harness.store.modelCard(of: try Fixtures.name("other"), version: try Fixtures.version("1.0.0"), visibility: .everything) == nil)
        }
    }

    @Test func aLongReadmeIsCutAtACharacterBoundary() {
        let text = String(repeating: "a", count: 9) + "é"  // 11 bytes; the cut at 10 falls inside é
        let card = ModelCard(bytes: Array(text.utf8), limit: 10)
        #expect(card == ModelCard(text: String(repeating: "a", count: 9), truncated: true))
        #expect(ModelCard(bytes: Array(text.utf8), limit: 11) == ModelCard(text: text, truncated: false))
        #expect(ModelCard(bytes: Array("日本".utf8), limit: 4) == ModelCard(text: "日", truncated: true))
    }
}
