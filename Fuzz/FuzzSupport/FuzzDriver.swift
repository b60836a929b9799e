import Foundation

#if MAXHUB_FUZZ
import CLibFuzzer
#endif

/// The `main` of a fuzz target. SwiftPM links an executable's own entry point as `main`, so a fuzz target keeps one
/// and hands its `LLVMFuzzerTestOneInput` to libFuzzer's driver when it is built with `-sanitize=fuzzer -D MAXHUB_FUZZ`.
/// Built without them, it runs each file named on the command line (or each file in a folder so named) through the
/// same function: that replays a seed corpus or a crash libFuzzer kept, in a debugger if need be.
public enum FuzzDriver {
    public typealias Entry = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

    public static func main(_ name: String, _ entry: Entry) -> Never {
        #if MAXHUB_FUZZ
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, entry))
        #else
        replay(name, entry)
        #endif
    }

    private static func replay(_ name: String, _ entry: Entry) -> Never {
        let arguments = CommandLine.arguments.dropFirst()
        guard !arguments.isEmpty else {
            FileHandle.standardError.write(Data("usage: \(name) FILE-OR-FOLDER...\n".utf8))
            exit(2)
        }
        var count = 0
        for argument in arguments {
            for url in files(at: URL(fileURLWithPath: argument)) {
                guard let data = FileManager.default.contents(atPath: url.path) else {
                    FileHandle.standardError.write(Data("\(name): cannot read \(url.path)\n".utf8))
                    exit(1)
                }
                _ = data.withUnsafeBytes { entry($0.bindMemory(to: UInt8.self).baseAddress, data.count) }
                count += 1
            }
        }
        print("\(name): \(count) inputs, no failure")
        exit(0)
    }

    private static func files(at url: URL) -> [URL] {
        guard isFolder(url) else { return [url] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        return names.sorted().map { url.appendingPathComponent($0) }.filter { !isFolder($0) }
    }

    private static func isFolder(_ url: URL) -> Bool {
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) && isFolder.boolValue
    }
}
