// Package httpapitest is test support for the HTTP frontends under
// adapters/httpapi, imported only by their tests: calling a handler, and
// checking every answer against the frontend's served OpenAPI document with
// kin-openapi. It holds no wiring of other adapters, which the dependency
// rule keeps in each frontend's own tests.
package httpapitest
