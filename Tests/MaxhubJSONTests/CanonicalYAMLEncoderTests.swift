import Foundation
import MaxhubJSON
import MaxhubTestSupport
import Testing

@Suite("CanonicalYAMLEncoder", .onTestThreads)
struct CanonicalYAMLEncoderTests {
    struct Layer: Encodable {
        var name: String
        var size: Int
    }

    struct Model: Encodable {
        var name: String
        var shape: [Int]
        var scale: Double
        var epsilon: Double
        var layers: [Layer]
    }

    private func makeModel() -> Model {
        Model(name: "digits", shape: [1, 64], scale: 0.5, epsilon: 0.00001, layers: [Layer(name: "dense", size: 10)])
    }

    @Test func writesScalarListsAndFlatItemsInFlowStyleAndFloatsWithADot() throws {
        let text = try CanonicalYAMLEncoder().encode(makeModel())
        #expect(text == """
            name: digits
            shape: [1, 64]
            scale: 0.5
            epsilon: 1.0e-05
            layers:
            - {name: dense, size: 10}

            """)
    }

    @Test func readsBackAsTheSameValueWithFloatsKeptFloats() throws {
        let model = makeModel()
        let reread = try JSONValue(yaml: CanonicalYAMLEncoder().encode(model))
        #expect(reread == (try JSONValue(encoding: model)))
        #expect(try reread.jsonString() == #"{"name":"digits","shape":[1,64],"scale":0.5,"epsilon":1e-05,"layers":[{"name":"dense","size":10}]}"#)
    }
}
