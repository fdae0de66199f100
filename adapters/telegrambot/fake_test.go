package telegrambot_test

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

// fakeToken is the token the fake Bot API accepts.
const fakeToken = "123456:fake-token"

// apiCall is one request the fake received: the method and its form.
type apiCall struct {
	method string
	form   map[string]string
}

// fakeAPI is a Bot API server speaking the real wire: form-encoded POSTs to
// /bot<token>/<method>, {ok,result} envelopes, error envelopes with their
// HTTP status (403 blocked, 409 conflict, 429 with retry_after).
type fakeAPI struct {
	srv *httptest.Server

	mu       sync.Mutex
	calls    []apiCall
	updates  []json.RawMessage // queued, in update_id order
	blocked  map[int64]bool    // chats that blocked the bot
	floods   int               // sendMessages to answer 429 before serving
	conflict bool              // getUpdates answers 409
	msgID    int
	arrived  chan struct{} // signalled on every queued update
	// cancelled is signalled when a client gives up a long poll.
	cancelled chan struct{}
}

func newFakeAPI(tb testing.TB) *fakeAPI {
	tb.Helper()
	f := &fakeAPI{blocked: map[int64]bool{}, arrived: make(chan struct{}, 1), cancelled: make(chan struct{}, 8)}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	tb.Cleanup(f.srv.Close)
	return f
}

// endpoint is the URL format NewBotAPIWithAPIEndpoint takes.
func (f *fakeAPI) endpoint() string { return f.srv.URL + "/bot%s/%s" }

func (f *fakeAPI) serve(w http.ResponseWriter, r *http.Request) {
	token, method, ok := strings.Cut(strings.TrimPrefix(r.URL.Path, "/bot"), "/")
	if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
		fail(w, http.StatusBadRequest, "Bad Request: want a form POST")
		return
	}
	if !ok || token != fakeToken {
		fail(w, http.StatusUnauthorized, "Unauthorized")
		return
	}
	if err := r.ParseForm(); err != nil {
		fail(w, http.StatusBadRequest, "Bad Request: "+err.Error())
		return
	}
	form := map[string]string{}
	for k := range r.PostForm {
		form[k] = r.PostForm.Get(k)
	}
	f.mu.Lock()
	f.calls = append(f.calls, apiCall{method, form})
	f.mu.Unlock()
	switch method {
	case "getMe":
		result(w, map[string]any{"id": 1, "is_bot": true, "first_name": "Gatehouse", "username": "gatehouse_bot"})
	case "getUpdates":
		f.getUpdates(w, r, form)
	case "sendMessage":
		f.sendMessage(w, form)
	case "answerCallbackQuery", "setWebhook", "deleteWebhook":
		result(w, true)
	default:
		fail(w, http.StatusNotFound, "Not Found: method not found")
	}
}

func (f *fakeAPI) getUpdates(w http.ResponseWriter, r *http.Request, form map[string]string) {
	offset, _ := strconv.Atoi(form["offset"])
	timeout, _ := strconv.Atoi(form["timeout"])
	deadline := time.Now().Add(time.Duration(timeout) * time.Second)
	for {
		f.mu.Lock()
		if f.conflict {
			f.mu.Unlock()
			fail(w, http.StatusConflict, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running")
			return
		}
		var out []json.RawMessage
		for _, u := range f.updates {
			var head struct {
				ID int `json:"update_id"`
			}
			_ = json.Unmarshal(u, &head)
			if head.ID >= offset {
				out = append(out, u)
			}
		}
		f.mu.Unlock()
		if len(out) > 0 || !time.Now().Before(deadline) {
			result(w, out)
			return
		}
		select {
		case <-r.Context().Done():
			f.cancelled <- struct{}{}
			return
		case <-f.arrived:
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func (f *fakeAPI) sendMessage(w http.ResponseWriter, form map[string]string) {
	chat, _ := strconv.ParseInt(form["chat_id"], 10, 64)
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case f.blocked[chat]:
		fail(w, http.StatusForbidden, "Forbidden: bot was blocked by the user")
	case f.floods > 0:
		f.floods--
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = fmt.Fprint(w, `{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 1","parameters":{"retry_after":1}}`)
	default:
		f.msgID++
		result(w, map[string]any{"message_id": f.msgID, "date": 1, "chat": map[string]any{"id": chat, "type": "private"}, "text": form["text"]})
	}
}

// push queues an update for getUpdates.
func (f *fakeAPI) push(update string) {
	f.mu.Lock()
	f.updates = append(f.updates, json.RawMessage(update))
	f.mu.Unlock()
	select {
	case f.arrived <- struct{}{}:
	default:
	}
}

// sent returns the texts sent to chat, in order.
func (f *fakeAPI) sent(chat int64) []apiCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []apiCall
	for _, c := range f.calls {
		if c.method == "sendMessage" && c.form["chat_id"] == strconv.FormatInt(chat, 10) {
			out = append(out, c)
		}
	}
	return out
}

// count returns how many calls of method arrived.
func (f *fakeAPI) count(method string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.calls {
		if c.method == method {
			n++
		}
	}
	return n
}

// last returns the last call of method.
func (f *fakeAPI) last(tb testing.TB, method string) apiCall {
	tb.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := len(f.calls) - 1; i >= 0; i-- {
		if f.calls[i].method == method {
			return f.calls[i]
		}
	}
	tb.Fatalf("no %s call", method)
	return apiCall{}
}

func result(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"ok": true, "result": v})
}

func fail(w http.ResponseWriter, status int, description string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"ok": false, "error_code": status, "description": description})
}

// message is the JSON of an update with a private text message from user.
func message(updateID int, user int64, lang, text string) string {
	return fmt.Sprintf(`{"update_id":%d,"message":{"message_id":%d,"from":{"id":%d,"is_bot":false,"first_name":"Ann","language_code":%q},"chat":{"id":%d,"type":"private"},"date":1700000000,"text":%q%s}}`,
		updateID, updateID, user, lang, user, text, commandEntity(text))
}

// commandEntity marks a leading /command as Telegram does.
func commandEntity(text string) string {
	if !strings.HasPrefix(text, "/") {
		return ""
	}
	n, _, _ := strings.Cut(text, " ")
	return fmt.Sprintf(`,"entities":[{"offset":0,"length":%d,"type":"bot_command"}]`, len(n))
}

// contact is the JSON of an update with a shared contact.
func contact(updateID int, user, contactUser int64, phone string) string {
	owner := ""
	if contactUser != 0 {
		owner = fmt.Sprintf(`,"user_id":%d`, contactUser)
	}
	return fmt.Sprintf(`{"update_id":%d,"message":{"message_id":%d,"from":{"id":%d,"is_bot":false,"first_name":"Ann","language_code":"en"},"chat":{"id":%d,"type":"private"},"date":1700000000,"contact":{"phone_number":%q,"first_name":"Ann"%s}}}`,
		updateID, updateID, user, user, phone, owner)
}
