import Hummingbird
import HummingbirdCore
import Logging
import MaxhubStore

/// Assembles the hub from its configuration and stores. `HubServer` calls it for `maxhub serve`; tests call it with
/// their own stores and port 0.
public func buildApplication<Catalog: CatalogStore, Blobs: BlobStore>(
    configuration: HubConfiguration,
    catalog: Catalog,
    blobs: Blobs,
    metrics: HubMetrics = HubMetrics(),
    logger: Logger,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    let router = Router(context: HubRequestContext.self)
    router.add(middleware: MetricsMiddleware(metrics: metrics))
    router.add(middleware: RequestLogMiddleware())
    router.add(middleware: ProblemMiddleware())
    router.add(middleware: AuthenticationMiddleware(catalog: catalog))
    let cache = CatalogResponseCache(generation: { try await catalog.generation() })
    let inspections = UploadInspections(limits: configuration.archiveLimits)
    router.add(middleware: CatalogWriteMiddleware(cache: cache))
    router.addRoutes(OperationsController(metrics: metrics).endpoints)
    router.addRoutes(
        CatalogController(
            catalog: catalog, blobs: blobs, configuration: configuration, metrics: metrics, cache: cache, inspections: inspections).endpoints,
        atPath: "/api/v1"
    )
    let blobRoutes = BlobController(catalog: catalog, blobs: blobs, configuration: configuration, metrics: metrics, inspections: inspections)
    router.addRoutes(blobRoutes.endpoints, atPath: "/api/v1")
    router.addRoutes(RegistryController(catalog: catalog, blobs: blobs, configuration: configuration, downloads: blobRoutes).endpoints)
    router.addRoutes(TokenController(catalog: catalog).endpoints, atPath: "/api/v1")
    let reviews = ReviewController(
        catalog: catalog, signer: ApprovalSigner(catalog: catalog, blobs: blobs, limits: configuration.archiveLimits))
    router.addRoutes(reviews.endpoints, atPath: "/api/v1")
    router.addRoutes(SigningController(catalog: catalog, configuration: configuration).endpoints, atPath: "/api/v1")
    let keys = WebSessionKeys(secret: configuration.webSecret)
    router.addRoutes(WebCatalogController(catalog: catalog, configuration: configuration, keys: keys, cache: cache).endpoints)
    router.addRoutes(WebSessionController(catalog: catalog, keys: keys).endpoints)
    router.addRoutes(WebReviewController(catalog: catalog, reviews: reviews, keys: keys).endpoints)
    return Application(
        router: router,
        server: .http1(configuration: HTTP1Channel.Configuration(additionalChannelHandlers: [ExpectContinueHandler()])),
        configuration: ApplicationConfiguration(
            address: .hostname(configuration.host, port: configuration.port),
            serverName: "maxhub"
        ),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
        logger: logger
    )
}

/// Logs each request at debug level: method, path, status and duration.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = HubRequestContext

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        context.logger.debug(
            "request",
            metadata: [
                "method": "\(request.method)", "path": "\(request.uri.path)", "status": "\(response.status.code)",
                "duration": "\(ContinuousClock.now - start)",
            ])
        return response
    }
}
