/// The hub's API description, `schemas/openapi.yaml`, served at `/openapi.yaml`.
public enum OpenAPIDocument {}
