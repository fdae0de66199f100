package app

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

const tgToken = "4242:e2e-token"

// botAPI is a fake Bot API on loopback speaking the real wire. Each
// replica reaches it under a path of its own (/<replica>/bot<token>/<method>),
// so the fake knows who calls.
type botAPI struct {
	srv *httptest.Server

	mu      sync.Mutex
	polls   map[string]int // getUpdates calls by replica
	lastBy  string         // the replica of the last getUpdates
	updates []string
	sent    []map[string]string
}

func newBotAPI(tb testing.TB) *botAPI {
	tb.Helper()
	a := &botAPI{polls: map[string]int{}}
	a.srv = httptest.NewServer(http.HandlerFunc(a.serve))
	tb.Cleanup(a.srv.Close)
	return a
}

// endpoint is telegram.api_endpoint for a replica.
func (a *botAPI) endpoint(replica string) string {
	return a.srv.URL + "/" + replica + "/bot%s/%s"
}

func (a *botAPI) serve(w http.ResponseWriter, r *http.Request) {
	parts := strings.Split(strings.TrimPrefix(r.URL.Path, "/"), "/")
	if len(parts) != 3 || parts[1] != "bot"+tgToken || r.Method != http.MethodPost ||
		r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" || r.ParseForm() != nil {
		reply(w, http.StatusUnauthorized, map[string]any{"ok": false, "error_code": 401, "description": "Unauthorized"})
		return
	}
	replica, method := parts[0], parts[2]
	switch method {
	case "getMe":
		reply(w, 200, map[string]any{"ok": true, "result": map[string]any{"id": 4242, "is_bot": true, "first_name": "Gate", "username": "gate_bot"}})
	case "getUpdates":
		a.getUpdates(w, r, replica)
	case "sendMessage":
		a.mu.Lock()
		form := map[string]string{}
		for k := range r.PostForm {
			form[k] = r.PostForm.Get(k)
		}
		a.sent = append(a.sent, form)
		n := len(a.sent)
		a.mu.Unlock()
		chat, _ := strconv.ParseInt(form["chat_id"], 10, 64)
		reply(w, 200, map[string]any{"ok": true, "result": map[string]any{"message_id": n, "date": 1, "chat": map[string]any{"id": chat, "type": "private"}}})
	default:
		reply(w, 200, map[string]any{"ok": true, "result": true})
	}
}

func (a *botAPI) getUpdates(w http.ResponseWriter, r *http.Request, replica string) {
	offset, _ := strconv.Atoi(r.PostForm.Get("offset"))
	a.mu.Lock()
	a.polls[replica]++
	a.lastBy = replica
	a.mu.Unlock()
	deadline := time.Now().Add(500 * time.Millisecond)
	for {
		a.mu.Lock()
		var out []json.RawMessage
		for _, u := range a.updates {
			var head struct {
				ID int `json:"update_id"`
			}
			_ = json.Unmarshal([]byte(u), &head)
			if head.ID >= offset {
				out = append(out, json.RawMessage(u))
			}
		}
		a.mu.Unlock()
		if len(out) > 0 || time.Now().After(deadline) {
			reply(w, 200, map[string]any{"ok": true, "result": out})
			return
		}
		select {
		case <-r.Context().Done():
			return
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func (a *botAPI) push(update string) {
	a.mu.Lock()
	a.updates = append(a.updates, update)
	a.mu.Unlock()
}

// pollsBy returns the getUpdates calls by replica so far.
func (a *botAPI) pollsBy() map[string]int {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := map[string]int{}
	for k, v := range a.polls {
		out[k] = v
	}
	return out
}

// textsTo returns the texts sent to chat.
func (a *botAPI) textsTo(chat int64) []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	var out []string
	for _, m := range a.sent {
		if m["chat_id"] == strconv.FormatInt(chat, 10) {
			out = append(out, m["text"])
		}
	}
	return out
}

func reply(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// tgMessage is an update with a private message from user.
func tgMessage(id int, user int64, text string) string {
	entity := ""
	if strings.HasPrefix(text, "/") {
		cmd, _, _ := strings.Cut(text, " ")
		entity = fmt.Sprintf(`,"entities":[{"offset":0,"length":%d,"type":"bot_command"}]`, len(cmd))
	}
	return fmt.Sprintf(`{"update_id":%d,"message":{"message_id":%d,"from":{"id":%d,"is_bot":false,"first_name":"Ada","language_code":"en"},"chat":{"id":%d,"type":"private"},"date":1700000000,"text":%q%s}}`,
		id, id, user, user, text, entity)
}

// tgContact is an update with a contact shared by user.
func tgContact(id int, user, owner int64, phone string) string {
	return fmt.Sprintf(`{"update_id":%d,"message":{"message_id":%d,"from":{"id":%d,"is_bot":false,"first_name":"Ada"},"chat":{"id":%d,"type":"private"},"date":1700000000,"contact":{"phone_number":%q,"first_name":"Ada","user_id":%d}}}`,
		id, id, user, user, phone, owner)
}

// waitFor waits for cond with a generous bound.
func waitFor(tb testing.TB, what string, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			tb.Fatalf("never: %s", what)
		}
		time.Sleep(25 * time.Millisecond)
	}
}
