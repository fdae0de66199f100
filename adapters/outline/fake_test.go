package outline_test

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// fakeOutline answers as an Outline server's management API does
// (shadowbox api.yml and manager_service.ts): the secret path prefix, the
// AccessKey shape, the status codes and restify's error body.
type fakeOutline struct {
	mu       sync.Mutex
	prefix   string
	hostname string
	port     int
	nextID   int
	keys     map[string]*fakeKey
	transfer map[string]int64
	seen     map[string]int64 // lastTrafficSeen, Unix seconds
	// failAfterCreate makes a create store the key, then answer 500, as a
	// server that dies half-way would.
	failAfterCreate bool
	srv             *httptest.Server
}

type fakeKey struct {
	ID        string         `json:"id"`
	Name      string         `json:"name"`
	Password  string         `json:"password"`
	Port      int            `json:"port"`
	Method    string         `json:"method"`
	DataLimit *fakeDataLimit `json:"dataLimit,omitempty"`
	AccessURL string         `json:"accessUrl"`
}

type fakeDataLimit struct {
	Bytes int64 `json:"bytes"`
}

func newFakeOutline(tb testing.TB) *fakeOutline {
	tb.Helper()
	f := &fakeOutline{prefix: "c2VjcmV0LXByZWZpeC0xMg", hostname: "203.0.113.7", port: 12345,
		keys: map[string]*fakeKey{}, transfer: map[string]int64{}, seen: map[string]int64{}}
	f.srv = httptest.NewTLSServer(http.HandlerFunc(f.serve))
	tb.Cleanup(f.srv.Close)
	return f
}

// apiURL and certSHA256 are what the installer prints.
func (f *fakeOutline) apiURL() string { return f.srv.URL + "/" + f.prefix }

func (f *fakeOutline) certSHA256() string {
	sum := sha256.Sum256(f.srv.Certificate().Raw)
	return strings.ToUpper(hex.EncodeToString(sum[:]))
}

func (f *fakeOutline) key(id string) (fakeKey, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	k, ok := f.keys[id]
	if !ok {
		return fakeKey{}, false
	}
	return *k, true
}

func (f *fakeOutline) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.keys)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func fail(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, map[string]string{"code": code, "message": msg})
}

var sinceRE = regexp.MustCompile(`^[0-9]+[shdw]$`)

func (f *fakeOutline) serve(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, "/"+f.prefix)
	if !ok || (rest != "" && !strings.HasPrefix(rest, "/")) {
		fail(w, http.StatusNotFound, "ResourceNotFound", r.URL.Path+" does not exist")
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	parts := strings.Split(strings.Trim(rest, "/"), "/")
	switch {
	case r.Method == http.MethodPost && rest == "/access-keys":
		f.create(w, r, "")
	case r.Method == http.MethodPut && len(parts) == 2 && parts[0] == "access-keys":
		f.create(w, r, parts[1])
	case r.Method == http.MethodGet && rest == "/access-keys":
		list := []fakeKey{}
		for _, k := range f.keys {
			list = append(list, *k)
		}
		writeJSON(w, http.StatusOK, map[string]any{"accessKeys": list})
	case r.Method == http.MethodDelete && len(parts) == 2 && parts[0] == "access-keys":
		if _, ok := f.keys[parts[1]]; !ok {
			fail(w, http.StatusNotFound, "NotFound", fmt.Sprintf("Access key %q not found", parts[1]))
			return
		}
		delete(f.keys, parts[1])
		w.WriteHeader(http.StatusNoContent)
	case r.Method == http.MethodPut && len(parts) == 3 && parts[0] == "access-keys" && parts[2] == "name":
		var body map[string]any
		_ = json.NewDecoder(r.Body).Decode(&body)
		name, ok := body["name"].(string)
		if !ok || name == "" {
			fail(w, http.StatusBadRequest, "InvalidArgument", "Parameter `name` must be a non-empty string")
			return
		}
		k, found := f.keys[parts[1]]
		if !found {
			fail(w, http.StatusNotFound, "NotFound", fmt.Sprintf("Access key %q not found", parts[1]))
			return
		}
		k.Name = name
		w.WriteHeader(http.StatusNoContent)
	case r.Method == http.MethodGet && rest == "/metrics/transfer":
		writeJSON(w, http.StatusOK, map[string]any{"bytesTransferredByUserId": f.transfer})
	case r.Method == http.MethodGet && rest == "/experimental/server/metrics":
		if !sinceRE.MatchString(r.URL.Query().Get("since")) {
			fail(w, http.StatusBadRequest, "InvalidArgument", "Parameter `since` is missing or invalid")
			return
		}
		keys := []map[string]any{}
		for id, at := range f.seen {
			n, _ := strconv.Atoi(id)
			keys = append(keys, map[string]any{"accessKeyId": n, "tunnelTime": map[string]any{"seconds": 60},
				"dataTransferred": map[string]any{"bytes": f.transfer[id]},
				"connection":      map[string]any{"lastTrafficSeen": at, "peakDeviceCount": map[string]any{"data": 1, "timestamp": at}}})
		}
		writeJSON(w, http.StatusOK, map[string]any{"server": map[string]any{}, "accessKeys": keys})
	default:
		fail(w, http.StatusNotFound, "ResourceNotFound", r.URL.Path+" does not exist")
	}
}

// create makes a key as manager_service.ts does; id is "" for POST.
func (f *fakeOutline) create(w http.ResponseWriter, r *http.Request, id string) {
	var body map[string]json.RawMessage
	if r.ContentLength != 0 {
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			fail(w, http.StatusBadRequest, "BadRequest", "Invalid JSON")
			return
		}
	}
	if _, has := body["id"]; has && id == "" {
		fail(w, http.StatusBadRequest, "InvalidArgument", "Parameter `id` is not allowed")
		return
	}
	k := &fakeKey{Method: "chacha20-ietf-poly1305", Port: f.port, Password: "pAssw0rdOfTwentyTwoChr"}
	if raw, ok := body["name"]; ok && json.Unmarshal(raw, &k.Name) != nil {
		fail(w, http.StatusBadRequest, "InvalidArgument", "Parameter `name` must be of type string")
		return
	}
	if raw, ok := body["limit"]; ok {
		var l map[string]json.RawMessage
		var bytes int64
		if json.Unmarshal(raw, &l) != nil || json.Unmarshal(l["bytes"], &bytes) != nil || bytes < 0 {
			fail(w, http.StatusBadRequest, "InvalidArgument", "Must provide a limit value with a non-negative integer 'bytes' field")
			return
		}
		k.DataLimit = &fakeDataLimit{Bytes: bytes}
	}
	if id == "" {
		for f.keys[strconv.Itoa(f.nextID)] != nil {
			f.nextID++
		}
		id = strconv.Itoa(f.nextID)
		f.nextID++
	} else if _, taken := f.keys[id]; taken {
		fail(w, http.StatusConflict, "Conflict", fmt.Sprintf("Access key %q already exists", id))
		return
	}
	k.ID = id
	userinfo := base64.RawURLEncoding.EncodeToString([]byte(k.Method + ":" + k.Password))
	k.AccessURL = "ss://" + userinfo + "@" + net.JoinHostPort(f.hostname, strconv.Itoa(k.Port)) + "/?outline=1"
	f.keys[id] = k
	if f.failAfterCreate {
		fail(w, http.StatusInternalServerError, "Internal", "An internal error occurred")
		return
	}
	writeJSON(w, http.StatusCreated, k)
}
