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
    static func withoutRawHTML(_ markdown: String) -> String {
        var inFence = false
        var lines: [String] = []
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                inFence.toggle()
                lines.append(String(line))
                continue
            }
            if inFence {
                lines.append(String(line))
                continue
            }
            var output = ""
            var openSpan = 0
            var characters = line[...]
            while let character = characters.first {
                if character == "`" {
                    let run = characters.prefix { $0 == "`" }
                    if openSpan == 0 {
                        openSpan = run.count
                    } else if openSpan == run.count {
                        openSpan = 0
                    }
                    output += run
                    characters = characters.dropFirst(run.count)
                    continue
                }
                output += character == "<" && openSpan == 0 ? "&lt;" : String(character)
                characters = characters.dropFirst()
            }
            lines.append(output)
        }
        return lines.joined(separator: "\n")
    }
}
