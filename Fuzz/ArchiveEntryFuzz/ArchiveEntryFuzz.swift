import Foundation
import FuzzSupport
@testable import MaxhubArchive

/// `EntrySafetyChecker`, given the headers of an untrusted archive in order, admits only entries that can become a
/// package folder safely: the fuzzer checks every admitted entry against the rules restated independently.
///
/// The input is one header a line: a type letter (`f` file, `d` folder, `l` symlink, `h` hard link, `c` `b` `p` `s`
/// devices, fifo and socket, `S` a sparse file, any other byte an unknown type), then tab-separated fields: the path
/// (bytes that are not UTF-8 make a path libarchive could not decode), the declared size (decimal, may be absent), and
/// the link target. `f\tmodel.onnx\t1234` is a file, `l\tlatest\t\tmodel.onnx` a symlink.
enum ArchiveEntryFuzz {
    private static let limits = ArchiveLimits(maxTotalSize: 10_000, maxEntryCount: 64, maxEntrySize: 4_000)

    static func test(_ data: Data) {
        var checker = EntrySafetyChecker(limits: limits)
        var admitted: [EntrySafetyChecker.AdmittedEntry] = []
        let input = String(decoding: data, as: UTF8.self)
        for line in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            guard let header = header(Array(line)) else { continue }
            // A reader stops at the first entry refused, and so does the checker's state.
            let entry: EntrySafetyChecker.AdmittedEntry?
            do {
                entry = try checker.admit(header)
            } catch {
                break
            }
            guard let entry else { continue }
            check(entry, of: header, input: input)
            admitted.append(entry)
        }
        check(admitted, total: checker.totalSize, input: input)
    }

    private static func header(_ line: [UInt8]) -> ArchiveEntryHeader? {
        guard let letter = line.first else { return nil }
        typealias FileType = ArchiveEntryHeader.FileType
        let fileType: UInt32 = switch letter {
        case UInt8(ascii: "f"), UInt8(ascii: "S"), UInt8(ascii: "h"): FileType.regular
        case UInt8(ascii: "d"): FileType.directory
        case UInt8(ascii: "l"): FileType.symlink
        case UInt8(ascii: "c"): FileType.characterDevice
        case UInt8(ascii: "b"): FileType.blockDevice
        case UInt8(ascii: "p"): FileType.fifo
        case UInt8(ascii: "s"): FileType.socket
        default: (UInt32(letter) << 12) & FileType.mask
        }
        let fields = line.dropFirst().split(separator: UInt8(ascii: "\t"), omittingEmptySubsequences: false).dropFirst()
        let pathBytes = Array(fields.first ?? [])
        let path = String(validating: pathBytes, as: UTF8.self)
        let size = fields.dropFirst().first.flatMap { Int64(String(decoding: $0, as: UTF8.self)) }
        let target = fields.dropFirst(2).first.map { String(decoding: $0, as: UTF8.self) }
        return ArchiveEntryHeader(
            rawPath: path ?? String(decoding: pathBytes, as: UTF8.self), pathIsUTF8: path != nil, fileType: fileType,
            size: size, symlinkTarget: letter == UInt8(ascii: "l") ? target : nil,
            hardlinkTarget: letter == UInt8(ascii: "h") ? (target ?? "") : nil, isSparse: letter == UInt8(ascii: "S"))
    }

    /// What must hold of one admitted entry, whatever came before it.
    private static func check(_ entry: EntrySafetyChecker.AdmittedEntry, of header: ArchiveEntryHeader, input: String) {
        let path = entry.path
        FuzzCheck.expect(header.pathIsUTF8, "a path that is not UTF-8 is admitted", input: input)
        FuzzCheck.expect(header.hardlinkTarget == nil && !header.isSparse, "a hard link or sparse file is admitted", input: input)
        let expectedKind: InspectedEntry.Kind? = switch header.fileType {
        case ArchiveEntryHeader.FileType.regular: .file
        case ArchiveEntryHeader.FileType.directory: .directory
        case ArchiveEntryHeader.FileType.symlink: .symlink
        default: nil
        }
        FuzzCheck.expect(entry.kind == expectedKind, "an entry of type 0o\(String(header.fileType, radix: 8)) is admitted", input: input)
        let components = path.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        FuzzCheck.expect(
            !path.isEmpty && !path.utf8.contains(0) && !path.utf8.contains(UInt8(ascii: "\\"))
                && components.allSatisfy { !$0.isEmpty && !$0.elementsEqual(".".utf8) && !$0.elementsEqual("..".utf8) },
            "the admitted path \(path.debugDescription) is not a plain relative path", input: input)
        FuzzCheck.expect(
            !(path.utf8.count >= 2 && Array(path.utf8)[1] == UInt8(ascii: ":")) || !Array(path.utf8)[0].isASCIILetter,
            "the admitted path \(path.debugDescription) starts with a drive", input: input)
        FuzzCheck.expect((try? EntryPath.checkCanonical(path)) != nil, "the admitted path \(path.debugDescription) is not canonical", input: input)
        FuzzCheck.expect(entry.declaredSize >= 0 && (entry.kind == .file || entry.declaredSize == 0), "a bad declared size", input: input)
        if entry.kind == .symlink {
            FuzzCheck.expect(
                staysInside(entry.linkTarget ?? "", from: components.count - 1),
                "the symlink \(path.debugDescription) to \((entry.linkTarget ?? "").debugDescription) leaves the package", input: input)
        }
    }

    /// A link target, resolved lexically from a folder `depth` levels below the root, never climbs above the root and
    /// never climbs after naming a folder.
    private static func staysInside(_ target: String, from depth: Int) -> Bool {
        let bytes = Array(target.utf8)
        guard let first = bytes.first, first != UInt8(ascii: "/"), first != UInt8(ascii: "\\"), !bytes.contains(0),
            !bytes.contains(UInt8(ascii: "\\")), !(bytes.count >= 2 && bytes[1] == UInt8(ascii: ":") && first.isASCIILetter)
        else { return false }
        var depth = depth
        var named = false
        for component in bytes.split(separator: UInt8(ascii: "/")) {
            if component.elementsEqual(".".utf8) { continue }
            if component.elementsEqual("..".utf8) {
                if named { return false }
                depth -= 1
                if depth < 0 { return false }
            } else {
                named = true
            }
        }
        return true
    }

    /// What must hold of all the admitted entries together: no path twice, nothing inside a file or a symlink, and
    /// the limits kept.
    private static func check(_ entries: [EntrySafetyChecker.AdmittedEntry], total: Int64, input: String) {
        var paths: Set<String> = []
        for entry in entries {
            FuzzCheck.expect(paths.insert(entry.path).inserted, "\(entry.path.debugDescription) is admitted twice", input: input)
        }
        let leaves = Set(entries.filter { $0.kind != .directory }.map(\.path))
        for entry in entries {
            for ancestor in EntryPath.ancestors(of: entry.path) {
                FuzzCheck.expect(
                    !leaves.contains(ancestor),
                    "\(entry.path.debugDescription) is admitted inside the file or symlink \(ancestor.debugDescription)", input: input)
            }
        }
        let sizes = entries.map(\.declaredSize)
        FuzzCheck.expect(entries.count <= limits.maxEntryCount!, "more entries than the limit", input: input)
        FuzzCheck.expect(sizes.allSatisfy { $0 <= limits.maxEntrySize! }, "an entry over the size limit", input: input)
        FuzzCheck.expect(sizes.reduce(0, +) == total && total <= limits.maxTotalSize!, "the total size is wrong or over the limit", input: input)
    }
}

extension UInt8 {
    fileprivate var isASCIILetter: Bool { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(self | 0x20) }
}

@main
struct ArchiveEntryFuzzMain {
    static func main() { FuzzDriver.main("ArchiveEntryFuzz", fuzz) }
}

/// libFuzzer's entry point: one input per call.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    ArchiveEntryFuzz.test(data.map { Data(bytes: $0, count: size) } ?? Data())
    return 0
}
