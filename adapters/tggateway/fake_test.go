package tggateway_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"gatehouse/adapters/tggateway"
)

const token = "AAE-gateway-token"

// fakeGateway answers as gatewayapi.telegram.org documents: methods by path,
// case-insensitive; bearer auth; JSON parameters; {ok, result|error}.
type fakeGateway struct {
	srv *httptest.Server

	mu          sync.Mutex
	unreachable map[string]bool   // phones checkSendAbility refuses
	checked     map[string]string // request_id → phone, until a send uses it
	used        map[string]bool   // request_ids a send used
	sent        []sentMessage
	calls       []string // method names, in order
	throttle    []string // Retry-After of the next requests' 429s
	flood       int      // the next requests answer FLOOD_WAIT_<flood>
	broken      int      // the next requests answer 502 with an HTML page
	next        int
}

type sentMessage struct {
	Phone, Code, RequestID, Payload, Sender, Callback string
	TTL                                               int
}

func newFakeGateway(tb testing.TB) *fakeGateway {
	tb.Helper()
	g := &fakeGateway{unreachable: map[string]bool{}, checked: map[string]string{}, used: map[string]bool{}}
	g.srv = httptest.NewServer(http.HandlerFunc(g.serve))
	tb.Cleanup(g.srv.Close)
	return g
}

func (g *fakeGateway) answer(w http.ResponseWriter, status int, result any, errCode string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if errCode != "" {
		_ = json.NewEncoder(w).Encode(map[string]any{"ok": false, "error": errCode})
		return
	}
	_ = json.NewEncoder(w).Encode(map[string]any{"ok": true, "result": result})
}

var digits = regexp.MustCompile(`^[0-9]{4,8}$`)

func (g *fakeGateway) serve(w http.ResponseWriter, r *http.Request) {
	g.mu.Lock()
	defer g.mu.Unlock()
	method := strings.ToLower(strings.Trim(r.URL.Path, "/"))
	g.calls = append(g.calls, method)
	switch {
	case len(g.throttle) > 0:
		w.Header().Set("Retry-After", g.throttle[0])
		g.throttle = g.throttle[1:]
		g.answer(w, http.StatusTooManyRequests, nil, "TOO_MANY_REQUESTS")
		return
	case g.flood > 0:
		g.answer(w, http.StatusOK, nil, fmt.Sprintf("FLOOD_WAIT_%d", g.flood))
		g.flood = 0
		return
	case g.broken > 0:
		g.broken--
		w.WriteHeader(http.StatusBadGateway)
		_, _ = w.Write([]byte("<html>502 Bad Gateway</html>"))
		return
	case r.Header.Get("Authorization") != "Bearer "+token:
		g.answer(w, http.StatusUnauthorized, nil, "ACCESS_TOKEN_INVALID")
		return
	}
	var p struct {
		Phone    string `json:"phone_number"`
		Code     string `json:"code"`
		TTL      int    `json:"ttl"`
		Request  string `json:"request_id"`
		Payload  string `json:"payload"`
		Sender   string `json:"sender_username"`
		Callback string `json:"callback_url"`
	}
	if err := json.NewDecoder(r.Body).Decode(&p); err != nil || p.Phone == "" {
		g.answer(w, http.StatusBadRequest, nil, "PHONE_NUMBER_INVALID")
		return
	}
	g.next++
	status := tggateway.RequestStatus{RequestID: fmt.Sprintf("req-%d", g.next), PhoneNumber: p.Phone, RequestCost: 0.01, RemainingBalance: 10}
	switch method {
	case "checksendability":
		if g.unreachable[p.Phone] {
			g.answer(w, http.StatusBadRequest, nil, "PHONE_NUMBER_NOT_AVAILABLE")
			return
		}
		g.checked[status.RequestID] = p.Phone
		g.answer(w, http.StatusOK, status, "")
	case "sendverificationmessage":
		switch {
		case g.unreachable[p.Phone]:
			g.answer(w, http.StatusBadRequest, nil, "PHONE_NUMBER_NOT_AVAILABLE")
			return
		case !digits.MatchString(p.Code):
			g.answer(w, http.StatusBadRequest, nil, "CODE_INVALID")
			return
		case p.TTL != 0 && (p.TTL < 30 || p.TTL > 3600):
			g.answer(w, http.StatusBadRequest, nil, "TTL_INVALID")
			return
		case len(p.Callback) > 256:
			g.answer(w, http.StatusBadRequest, nil, "CALLBACK_URL_INVALID")
			return
		case p.Request != "" && (g.checked[p.Request] != p.Phone || g.used[p.Request]):
			g.answer(w, http.StatusBadRequest, nil, "REQUEST_ID_INVALID")
			return
		}
		if p.Request != "" {
			// The send that follows checkSendAbility is free, once.
			g.used[p.Request] = true
			status.RequestID, status.RequestCost = p.Request, 0
		}
		status.DeliveryStatus = &tggateway.DeliveryStatus{Status: "sent", UpdatedAt: time.Now().Unix()}
		status.Payload = p.Payload
		g.sent = append(g.sent, sentMessage{Phone: p.Phone, Code: p.Code, TTL: p.TTL, RequestID: status.RequestID,
			Payload: p.Payload, Sender: p.Sender, Callback: p.Callback})
		g.answer(w, http.StatusOK, status, "")
	default:
		g.answer(w, http.StatusNotFound, nil, "METHOD_NOT_FOUND")
	}
}

func (g *fakeGateway) state() ([]sentMessage, []string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]sentMessage(nil), g.sent...), append([]string(nil), g.calls...)
}
