import MaxhubClient
import MaxhubCore
import MaxhubTestSupport
import Testing

@Suite("Launch plans", .onTestThreads)
struct LaunchPlanTests {
    static func manifest(command: [String]? = ["python3", "serve.py"], image: String? = "localhost/maxhub/m:1.0.0") throws -> Manifest {
        Manifest(
            name: try ModelName(parsing: "acme/m"), version: try Version(parsing: "1.0.0+build.7"), task: "other",
            description: "m", license: .init(code: "MIT", weights: "MIT", data: "MIT"),
            inputs: [.init(name: "x", type: "tensor")], outputs: [.init(name: "y", type: "tensor")],
            serving: .init(api: "oip-v2", port: 8080, image: image, command: command))
    }

    @Test("the sandbox keeps PATH folders under /tmp visible: PREFIX for PREFIX/bin, each once, none inside another")
    func temporaryPrefixes() throws {
        let plan = try LaunchPlan.make(
            manifest: Self.manifest(), packagePath: "/tmp/cache/packages/acme--m/1.0.0", runtime: .process, hostPort: 9000,
            bubblewrap: "/usr/bin/bwrap",
            searchPath: ["/tmp/x/.venv/bin", "/usr/bin", "/tmp/x/.venv/lib/tools", "/tmp/y/", "/tmp/y/bin", "/tmp/", "/tmp/../etc/bin", "bin"])
        let binds = stride(from: 0, to: plan.arguments.count - 2, by: 1).compactMap { index -> String? in
            plan.arguments[index] == "--ro-bind" ? plan.arguments[index + 1] : nil
        }
        #expect(binds == ["/", "/tmp/x/.venv", "/tmp/y", "/tmp/cache/packages/acme--m/1.0.0"])
        #expect(plan.arguments.suffix(3) == ["--", "python3", "serve.py"])
        #expect(plan.arguments.contains("--die-with-parent"))
        #expect(plan.environment["HOST"] == "127.0.0.1")
        #expect(plan.healthURL == "http://127.0.0.1:9000/v2/health/ready", "oip-v2's health path when the manifest names none")
    }

    @Test("a detached sandbox does not die with maxhub; without bwrap the command runs as it is")
    func detachedAndUnsandboxed() throws {
        let detached = try LaunchPlan.make(
            manifest: Self.manifest(), packagePath: "/p", runtime: .process, hostPort: 1, bubblewrap: "/usr/bin/bwrap", detached: true)
        #expect(!detached.arguments.contains("--die-with-parent"))
        let plain = try LaunchPlan.make(manifest: Self.manifest(), packagePath: "/p", runtime: .process, hostPort: 1)
        #expect(plain.arguments == ["python3", "serve.py"])
        #expect(plain.workingDirectory == "/p")
    }

    @Test("container names use only the characters engines allow; a missing image or command is a clear error")
    func namesAndMissingParts() throws {
        let plan = try LaunchPlan.make(manifest: Self.manifest(), packagePath: "/p", runtime: .podman, hostPort: 2)
        #expect(plan.containerName == "maxhub-acme_m-1.0.0_build.7")
        #expect(plan.commandLine.hasSuffix("--label org.maxhub.model=acme/m@1.0.0+build.7 localhost/maxhub/m:1.0.0"))
        #expect(throws: LaunchError.self) { try LaunchPlan.make(manifest: Self.manifest(image: nil), packagePath: "/p", runtime: .docker, hostPort: 2) }
        #expect(throws: LaunchError.self) { try LaunchPlan.make(manifest: Self.manifest(command: nil), packagePath: "/p", runtime: .process, hostPort: 2) }
        #expect(LaunchPlan.shellQuoted("it's here") == #"'it'\''s here'"#)
    }
}
