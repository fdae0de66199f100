package httpapitest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// Frontend is a handler with the OpenAPI document it serves; its calls
// check every answer against that document.
type Frontend struct {
	Handler http.Handler
	Doc     *openapi3.T
	router  routers.Router
}

// NewFrontend fetches the document h serves at docPath, checks that it is
// valid OpenAPI 3 and routes by it. A non-empty server is set as the
// document's only server, for frontends mounted under a prefix that their
// document's paths leave out.
func NewFrontend(tb testing.TB, h http.Handler, docPath, server string) *Frontend {
	tb.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, docPath, nil))
	if rec.Code != http.StatusOK {
		tb.Fatalf("GET %s = %d", docPath, rec.Code)
	}
	doc, err := openapi3.NewLoader().LoadFromData(rec.Body.Bytes())
	if err != nil {
		tb.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		tb.Fatalf("openapi.json is not valid OpenAPI 3: %v", err)
	}
	if server != "" {
		doc.Servers = openapi3.Servers{{URL: server}}
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		tb.Fatal(err)
	}
	return &Frontend{Handler: h, Doc: doc, router: router}
}

// Call serves one request (see NewRequest) and checks the answer against
// the document: its status must be documented and its body must match.
func (f *Frontend) Call(tb testing.TB, method, path string, body any, header http.Header) Response {
	tb.Helper()
	return f.Do(tb, NewRequest(tb, method, path, body, header))
}

// Do serves req and checks the answer against the document.
func (f *Frontend) Do(tb testing.TB, req *http.Request) Response {
	tb.Helper()
	resp := f.ServeRequest(req)
	f.Validate(tb, req, resp)
	return resp
}

// Serve serves one request without checking it against the document, for
// paths the document rightly does not have.
func (f *Frontend) Serve(tb testing.TB, method, path string, body any, header http.Header) (*http.Request, Response) {
	tb.Helper()
	req := NewRequest(tb, method, path, body, header)
	return req, f.ServeRequest(req)
}

// ServeRequest serves req and records the answer.
func (f *Frontend) ServeRequest(req *http.Request) Response {
	rec := httptest.NewRecorder()
	f.Handler.ServeHTTP(rec, req)
	return Response{Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
}

// Validate checks the answer resp to req against the document.
func (f *Frontend) Validate(tb testing.TB, req *http.Request, resp Response) {
	tb.Helper()
	route, params, err := f.router.FindRoute(req)
	if err != nil {
		tb.Fatalf("%s %s is not in openapi.json: %v", req.Method, req.URL, err)
	}
	opts := &openapi3filter.Options{IncludeResponseStatus: true}
	if resp.Header.Get("Content-Type") == "image/png" {
		// kin-openapi has no decoder for images; the test checks the PNG.
		opts.ExcludeResponseBody = true
	}
	err = openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 resp.Status,
		Header:                 resp.Header,
		Body:                   io.NopCloser(bytes.NewReader(resp.Body)),
		Options:                opts,
	})
	if err != nil {
		tb.Errorf("%s %s -> %d %s does not match openapi.json: %v", req.Method, req.URL, resp.Status, resp.Body, err)
	}
}

// Example returns a copy of the JSON request example the document gives
// for an operation, so tests walk the contract from its own examples.
func (f *Frontend) Example(tb testing.TB, method, path string) map[string]any {
	tb.Helper()
	item := f.Doc.Paths.Find(path)
	if item == nil || item.GetOperation(method) == nil {
		tb.Fatalf("no operation %s %s in openapi.json", method, path)
	}
	ex := item.GetOperation(method).RequestBody.Value.Content.Get("application/json").Example
	raw, err := json.Marshal(ex)
	if err != nil {
		tb.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		tb.Fatal(err)
	}
	return out
}
