import Foundation
import Ink

/// Markdown from a package (a README, an API description) as HTML that is safe to put in a page.
///
/// Ink passes raw HTML through, so three guards stand between a package and the page: every `<` outside code becomes
/// text before Ink reads it, raw HTML that Ink still finds is escaped, and everything Ink writes goes through
/// `HTMLAllowlist`, which keeps only the elements and
/// attributes Markdown produces and drops links and images whose URL is not http(s) (or mailto for links) or relative.
public enum SafeMarkdown {
    public static func html(from markdown: String) -> String {
        var parser = MarkdownParser()
        parser.addModifier(Modifier(target: .html) { input in HTMLText.escape(String(input.markdown)) })
        return HTMLAllowlist.sanitize(parser.html(from: withoutRawHTML(markdown)))
    }

    /// The Markdown with every `<` outside code written as `&lt;`, so that Ink sees no raw HTML at all. (Ink reads raw
    /// HTML from a `<` up to its closing tag, or to the end of the text, as one fragment: a stray `</script>` would
    /// swallow the rest of a README.) Fenced code blocks and code spans are left alone: Ink escapes them itself.
    ///
    /// Ink also reads a code span only within one line, where CommonMark lets it run on over the lines of its
    /// paragraph, each line break read as a space: such a span is put on one line here.
    static func withoutRawHTML(_ markdown: String) -> String {
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false)
        var inFence = false
        var output: [String] = []
        var index = 0
        while index < lines.count {
            let line = lines[index]
            index += 1
            if isFence(line) {
                inFence.toggle()
                output.append(String(line))
                continue
            }
            if inFence {
                output.append(String(line))
                continue
            }
            let scanned = scan(line[...], openSpan: 0)
            guard scanned.openSpan != 0 else {
                output.append(scanned.escaped)
                continue
            }
            // A code span still open at the end of the line: the paragraph's next lines, up to the one that closes it.
            var joined = scanned
            var next = index
            while joined.openSpan != 0, next < lines.count, continuesParagraph(lines[next]) {
                let continuation = lines[next].drop { $0 == " " || $0 == "\t" }
                let rest = scan(continuation, openSpan: joined.openSpan)
                joined = (joined.escaped + " " + rest.escaped, rest.openSpan)
                next += 1
            }
            if joined.openSpan == 0 {
                output.append(joined.escaped)
                index = next
            } else {
                output.append(scanned.escaped)
            }
        }
        return output.joined(separator: "\n")
    }

    /// The text with every `<` outside a code span escaped, starting inside a span opened by a run of `openSpan`
    /// backticks (0: outside), and the span open at its end (0: none). A span closes at a run of as many backticks.
    private static func scan(_ text: Substring, openSpan start: Int) -> (escaped: String, openSpan: Int) {
        var escaped = ""
        var openSpan = start
        var characters = text
        while let character = characters.first {
            if character == "`" {
                let run = characters.prefix { $0 == "`" }
                if openSpan == 0 {
                    openSpan = run.count
                } else if openSpan == run.count {
                    openSpan = 0
                }
                escaped += run
                characters = characters.dropFirst(run.count)
                continue
            }
            escaped += character == "<" && openSpan == 0 ? "&lt;" : String(character)
            characters = characters.dropFirst()
        }
        return (escaped, openSpan)
    }

    private static func isFence(_ line: Substring) -> Bool {
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        return trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~")
    }

    /// Whether a line goes on with the paragraph before it, rather than ending it (a blank line) or starting another
    /// block (a fence, a heading, a quote, a list item or a thematic break).
    private static func continuesParagraph(_ line: Substring) -> Bool {
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        guard !trimmed.isEmpty, !isFence(line), !trimmed.hasPrefix("#"), !trimmed.hasPrefix(">") else { return false }
        let marks = trimmed.filter { $0 != " " && $0 != "\t" }
        if marks.count >= 3, let mark = marks.first, "-*_".contains(mark), marks.allSatisfy({ $0 == mark }) { return false }
        if let first = trimmed.first, "-*+".contains(first), trimmed.dropFirst().first.map({ $0 == " " || $0 == "\t" }) ?? true {
            return false
        }
        let digits = trimmed.prefix { $0.isASCII && $0.isNumber }
        if !digits.isEmpty, digits.count <= 9, let marker = trimmed.dropFirst(digits.count).first, marker == "." || marker == ")" {
            return false
        }
        return true
    }
}
