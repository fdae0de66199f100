package main

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// fakeOutline is an Outline server's management API as its api.yml has
// it, on TLS with a self-signed certificate and the secret path prefix.
type fakeOutline struct {
	srv    *httptest.Server
	secret string
	mu     sync.Mutex
	keys   map[string]outlineKey
	nextID int
}

// outlineKey is the API's AccessKey.
type outlineKey struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Password  string `json:"password"`
	Port      int    `json:"port"`
	Method    string `json:"method"`
	AccessURL string `json:"accessUrl"`
}

func newFakeOutline(tb testing.TB) *fakeOutline {
	tb.Helper()
	f := &fakeOutline{secret: "Zs9ptK2uQ8xXnH1b", keys: map[string]outlineKey{}}
	f.srv = httptest.NewTLSServer(http.HandlerFunc(f.serve))
	tb.Cleanup(f.srv.Close)
	return f
}

// apiURL and certSHA256 are what the installer prints.
func (f *fakeOutline) apiURL() string { return f.srv.URL + "/" + f.secret }

func (f *fakeOutline) certSHA256() string {
	sum := sha256.Sum256(f.srv.Certificate().Raw)
	return strings.ToUpper(hex.EncodeToString(sum[:]))
}

// count is how many access keys the server has.
func (f *fakeOutline) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.keys)
}

func (f *fakeOutline) serve(w http.ResponseWriter, r *http.Request) {
	path, ok := strings.CutPrefix(r.URL.Path, "/"+f.secret)
	if !ok {
		outlineError(w, http.StatusNotFound, "ResourceNotFound", r.URL.Path+" does not exist")
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	parts := strings.Split(strings.Trim(path, "/"), "/")
	switch {
	case r.Method == http.MethodGet && path == "/server":
		writeOutline(w, http.StatusOK, map[string]any{"name": "fake", "serverId": "0b0e6ee1-5c3f-4b8e-9a9f-1f2d3c4b5a69",
			"metricsEnabled": true, "version": "1.9.0", "portForNewAccessKeys": 12345, "hostnameForAccessKeys": "127.0.0.1"})
	case r.Method == http.MethodPost && path == "/access-keys":
		f.nextID++
		f.create(w, r, strconv.Itoa(f.nextID))
	case r.Method == http.MethodPut && len(parts) == 2 && parts[0] == "access-keys":
		if _, taken := f.keys[parts[1]]; taken {
			outlineError(w, http.StatusConflict, "Conflict", `Access key "`+parts[1]+`" already exists`)
			return
		}
		f.create(w, r, parts[1])
	case r.Method == http.MethodGet && path == "/access-keys":
		list := make([]outlineKey, 0, len(f.keys))
		for _, k := range f.keys {
			list = append(list, k)
		}
		writeOutline(w, http.StatusOK, map[string]any{"accessKeys": list})
	case len(parts) >= 2 && parts[0] == "access-keys":
		k, ok := f.keys[parts[1]]
		if !ok {
			outlineError(w, http.StatusNotFound, "NotFound", `Access key "`+parts[1]+`" not found`)
			return
		}
		switch {
		case r.Method == http.MethodGet && len(parts) == 2:
			writeOutline(w, http.StatusOK, k)
		case r.Method == http.MethodDelete && len(parts) == 2:
			delete(f.keys, k.ID)
			w.WriteHeader(http.StatusNoContent)
		case r.Method == http.MethodPut && len(parts) == 3 && (parts[2] == "name" || parts[2] == "data-limit"):
			w.WriteHeader(http.StatusNoContent)
		case r.Method == http.MethodDelete && len(parts) == 3 && parts[2] == "data-limit":
			w.WriteHeader(http.StatusNoContent)
		default:
			outlineError(w, http.StatusMethodNotAllowed, "MethodNotAllowed", r.Method+" is not allowed")
		}
	case r.Method == http.MethodGet && path == "/metrics/transfer":
		by := map[string]int64{}
		for id := range f.keys {
			by[id] = 1000
		}
		writeOutline(w, http.StatusOK, map[string]any{"bytesTransferredByUserId": by})
	case r.Method == http.MethodGet && strings.HasPrefix(path, "/experimental/server/metrics"):
		writeOutline(w, http.StatusOK, map[string]any{"server": map[string]any{}, "accessKeys": []any{}})
	default:
		outlineError(w, http.StatusNotFound, "ResourceNotFound", path+" does not exist")
	}
}

// create makes key id with the body's name: 201 and the AccessKey.
func (f *fakeOutline) create(w http.ResponseWriter, r *http.Request, id string) {
	var body struct {
		Name string `json:"name"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil && err != io.EOF {
		outlineError(w, http.StatusBadRequest, "InvalidArgument", "body is not JSON")
		return
	}
	k := outlineKey{ID: id, Name: body.Name, Password: fmt.Sprintf("pw%020d", len(f.keys)+f.nextID+1), Port: 12345, Method: "chacha20-ietf-poly1305"}
	k.AccessURL = "ss://" + base64.RawURLEncoding.EncodeToString([]byte(k.Method+":"+k.Password)) + "@127.0.0.1:12345/?outline=1"
	f.keys[id] = k
	writeOutline(w, http.StatusCreated, k)
}

func writeOutline(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func outlineError(w http.ResponseWriter, status int, code, msg string) {
	writeOutline(w, status, map[string]string{"code": code, "message": msg})
}
