import Foundation
import FuzzSupport
import MaxhubCore

/// `SPDXExpression(parsing:)` on a license field or a reviewer's verdict: an accepted expression's normalized form reads
/// back as an equal expression with the same normalized form, hash, license ids and exception ids.
enum SPDXExpressionFuzz {
    static func test(_ data: Data) {
        let text = String(decoding: data, as: UTF8.self)
        guard let expression = try? SPDXExpression(parsing: text) else { return }
        let normalized = expression.normalized
        let reread: SPDXExpression
        do {
            reread = try SPDXExpression(parsing: normalized)
        } catch {
            FuzzCheck.expect(false, "the normalized form \(normalized.debugDescription) does not read back: \(error)", input: text)
            return
        }
        FuzzCheck.expect(reread == expression, "the normalized form reads back as another expression", input: text)
        FuzzCheck.expect(reread.hashValue == expression.hashValue, "equal expressions hash differently", input: text)
        FuzzCheck.expect(reread.normalized == normalized, "the normalized form is not stable: \(reread.normalized)", input: text)
        FuzzCheck.expect(reread.licenseIDs == expression.licenseIDs, "the license ids change on reading back", input: text)
        FuzzCheck.expect(reread.exceptionIDs == expression.exceptionIDs, "the exception ids change on reading back", input: text)
        FuzzCheck.expect(!expression.licenseIDs.isEmpty, "an expression names no license", input: text)
    }
}

@main
struct SPDXExpressionFuzzMain {
    static func main() { FuzzDriver.main("SPDXExpressionFuzz", fuzz) }
}

/// libFuzzer's entry point: one input per call.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    SPDXExpressionFuzz.test(data.map { Data(bytes: $0, count: size) } ?? Data())
    return 0
}
