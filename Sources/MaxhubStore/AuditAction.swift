/// The actions the audit log records.
public enum AuditAction {
    public static let publish = "version.publish"
    public static let tokenCreate = "token.create"
    public static let tokenRevoke = "token.revoke"
    public static let keyCreate = "key.create"
    public static let registryPush = "registry.push"
}
