import Testing

/// An archive that must never become a package folder, and the entry its error must name.
public struct UnsafeArchiveCase: Sendable, CustomTestStringConvertible {
    public var label: String
    public var entries: [HandMadeEntry]
    public var culprit: String

    public var testDescription: String { label }

    public static let all: [UnsafeArchiveCase] = [
        .init(label: "absolute path", entries: [.file("ok.txt"), .file("/tmp/maxhub-evil.txt")], culprit: "/tmp/maxhub-evil.txt"),
        .init(label: "parent component", entries: [.file("../escaped.txt")], culprit: "../escaped.txt"),
        .init(label: "parent after a folder", entries: [.file("a/../../escaped.txt")], culprit: "a/../../escaped.txt"),
        .init(label: "Windows drive", entries: [.file("C:/escaped.txt")], culprit: "C:/escaped.txt"),
        // Found by ArchiveEntryFuzz: the drive check saw `./`, and the path it admitted was `C:evil`.
        .init(label: "Windows drive after ./", entries: [.file("./C:evil")], culprit: "./C:evil"),
        .init(label: "symlink to a Windows drive after ./", entries: [.init(path: "link", kind: .symlink("./C:/evil"))], culprit: "link"),
        .init(label: "Windows UNC path", entries: [.file("\\\\server\\share\\escaped.txt")], culprit: "\\\\server\\share\\escaped.txt"),
        .init(label: "backslash climbing", entries: [.file("a\\..\\..\\escaped.txt")], culprit: "a\\..\\..\\escaped.txt"),
        .init(
            label: "symlink to an absolute path",
            entries: [.init(path: "passwd", kind: .symlink("/etc/passwd"))],
            culprit: "passwd"
        ),
        .init(
            label: "symlink leaving the package",
            entries: [.file("a/keep.txt"), .init(path: "a/link", kind: .symlink("../../escaped.txt"))],
            culprit: "a/link"
        ),
        .init(
            label: "symlink climbing after a folder",
            entries: [.init(path: "up", kind: .symlink(".")), .init(path: "a/link", kind: .symlink("up/up/../../etc"))],
            culprit: "a/link"
        ),
        .init(
            label: "entry through a symlink",
            entries: [.init(path: "a", kind: .symlink(".")), .file("a/escaped.txt")],
            culprit: "a/escaped.txt"
        ),
        .init(
            label: "symlink over a folder",
            entries: [.file("a/b.txt"), .init(path: "a", kind: .symlink("."))],
            culprit: "a"
        ),
        .init(label: "entry inside a file", entries: [.file("a"), .file("a/b.txt")], culprit: "a/b.txt"),
        .init(label: "hard link", entries: [.file("a.txt"), .init(path: "hard.txt", kind: .hardlink("a.txt"))], culprit: "hard.txt"),
        .init(label: "character device", entries: [.init(path: "dev/null", kind: .characterDevice)], culprit: "dev/null"),
        .init(label: "block device", entries: [.init(path: "dev/sda", kind: .blockDevice)], culprit: "dev/sda"),
        .init(label: "fifo", entries: [.init(path: "pipe", kind: .fifo)], culprit: "pipe"),
        .init(label: "duplicate entry", entries: [.file("a.txt", "one"), .file("b.txt"), .file("a.txt", "two")], culprit: "a.txt"),
        .init(label: "duplicate after ./", entries: [.file("a.txt", "one"), .file("./a.txt", "two")], culprit: "./a.txt"),
        .init(label: "a file named like the package root", entries: [.file("ok.txt"), .file(".")], culprit: "."),
    ]
}
