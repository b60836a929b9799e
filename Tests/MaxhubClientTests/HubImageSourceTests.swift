import MaxhubClient
import Testing

@Suite("Serving images on the hub", .onTestThreads)
struct HubImageSourceTests {
    static func source(_ url: String) throws -> HubImageSource {
        try #require(HubImageSource(hub: HubClient(baseURL: url, token: nil)))
    }

    @Test("an image names the hub when its registry is the hub's host and port, the scheme's port when it has none")
    func namesTheHub() throws {
        let local = try Self.source("http://127.0.0.1:8080/")
        #expect(local.registry == "127.0.0.1:8080" && local.insecure)
        #expect(local.names("127.0.0.1:8080/digits-classifier/serving:1.0.0"))
        #expect(local.names("127.0.0.1:8080/digits-classifier/serving@sha256:" + String(repeating: "a", count: 64)))
        #expect(local.names("127.0.0.1:8080/maxhub/hub"))
        #expect(!local.names("127.0.0.1:8081/digits-classifier/serving:1.0.0"))
        #expect(!local.names("localhost/maxhub/digits-classifier:1.0.0"))
        #expect(!local.names("maxhub/digits-classifier:1.0.0"), "no registry: docker.io's")
        #expect(!local.names("127.0.0.1:8080"))

        let secure = try Self.source("https://Hub.Example.org")
        #expect(secure.registry == "hub.example.org:443" && !secure.insecure)
        #expect(secure.names("hub.example.org/vision/resnet/serving:2.1.0"))
        #expect(secure.names("HUB.example.org:443/vision/resnet/serving:2.1.0"))
        #expect(!secure.names("hub.example.org:8443/vision/resnet/serving:2.1.0"))

        let plain = try Self.source("http://hub.internal")
        #expect(plain.names("hub.internal/m/serving:1") && plain.names("hub.internal:80/m/serving:1"))
        #expect(HubImageSource(hub: HubClient(baseURL: "file:///srv/hub", token: nil)) == nil)
    }
}
