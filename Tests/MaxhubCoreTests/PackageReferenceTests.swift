import MaxhubCore
import MaxhubTestSupport
import Testing

@Suite("Package references", .onTestThreads)
struct PackageReferenceTests {
    @Test("NAME, NAME@RANGE and NAME@VERSION, owned names included")
    func parses() throws {
        let bare = try PackageReference(parsing: "digits")
        #expect(bare.name.description == "digits" && bare.range == nil && bare.version == nil)
        #expect(bare.rangeText == "" && bare.description == "digits")

        let ranged = try PackageReference(parsing: "acme/digits@^1.2")
        #expect(ranged.name.owner == "acme" && ranged.range?.text == "^1.2" && ranged.version == nil)
        #expect(ranged.description == "acme/digits@^1.2")
        let (inside, outside) = (try Version(parsing: "1.9.0"), try Version(parsing: "2.0.0"))
        #expect(ranged.matches(inside) && !ranged.matches(outside))

        let exact = try PackageReference(parsingExact: "digits@1.2.0+build.5")
        let plain = try Version(parsing: "1.2.0")
        #expect(exact.version == plain)
        #expect(try exact.exactVersion().build == ["build", "5"])
        #expect(exact.rangeText == "1.2.0+build.5")

        let made = PackageReference(name: try ModelName(parsing: "acme/m"), version: try Version(parsing: "2.0.0-rc.1"))
        #expect(made.description == "acme/m@2.0.0-rc.1")
        let (candidate, release) = (try Version(parsing: "2.0.0-rc.1"), try Version(parsing: "2.0.0"))
        #expect(made.matches(candidate) && !made.matches(release))
    }

    @Test("each wrong part is named")
    func errors() {
        #expect(throws: PackageReferenceError.self) { try PackageReference(parsing: "Digits@1") }
        #expect {
            try PackageReference(parsing: "digits@1.2.3*")
        } throws: { error in
            guard case PackageReferenceError.invalidRange = error else { return false }
            return true
        }
        #expect {
            try PackageReference(parsingExact: "digits@^1")
        } throws: { error in
            (error as? PackageReferenceError)?.description == "expected NAME@VERSION, got \"digits@^1\""
        }
        #expect(throws: PackageReferenceError.versionRequired("digits")) { try PackageReference(parsingExact: "digits") }
        #expect(throws: PackageReferenceError.versionRequired("digits")) { try PackageReference(parsing: "digits").exactVersion() }
    }

    @Test("an owned name is one URL path segment")
    func pathSegment() throws {
        #expect(try ModelName(parsing: "acme/digits").pathSegment == "acme%2Fdigits")
        #expect(try ModelName(parsing: "digits").pathSegment == "digits")
    }
}
