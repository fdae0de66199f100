package tggateway

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"gatehouse/ports"
)

// The headers that sign a delivery report.
const (
	HeaderTimestamp = "X-Request-Timestamp"
	HeaderSignature = "X-Request-Signature"
)

// ReportOptions configures Reports.
type ReportOptions struct {
	// MaxAge is how far a report's timestamp may be from now, either way;
	// default 5 minutes.
	MaxAge time.Duration
	// Keep is how long a message's status is kept; default 24 hours.
	Keep time.Duration
	// Now tells the time; default time.Now.
	Now func() time.Time
	Log *slog.Logger
}

// Reports receives the Gateway's delivery reports (an http.Handler mounted
// at the path of Options.CallbackURL) and keeps each message's latest
// status in the shared cache, where any replica can read it with Status.
//
// The cache, not a store: a status is telemetry that expires with the code
// it reports on, every replica must see it, and a cache flushed empty only
// loses history nobody acts on; a store port would need three adapters and
// a migration for data that lives a day.
type Reports struct {
	key   []byte
	cache ports.Cache
	o     ReportOptions
}

// NewReports returns the handler of reports signed with token's key.
func NewReports(token string, cache ports.Cache, o ReportOptions) (*Reports, error) {
	if token == "" {
		return nil, errors.New("tggateway: reports need the access token")
	}
	if o.MaxAge <= 0 {
		o.MaxAge = 5 * time.Minute
	}
	if o.Keep <= 0 {
		o.Keep = 24 * time.Hour
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	key := sha256.Sum256([]byte(token))
	return &Reports{key: key[:], cache: cache, o: o}, nil
}

// Sign returns the signature the Gateway sends with body at timestamp:
// hex(HMAC-SHA256(key=SHA256(token), timestamp + "\n" + body)).
func Sign(token, timestamp string, body []byte) string {
	key := sha256.Sum256([]byte(token))
	return sign(key[:], timestamp, body)
}

func sign(key []byte, timestamp string, body []byte) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(timestamp + "\n"))
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

// maxReport bounds a report's body: a RequestStatus is well under 1 KiB.
const maxReport = 16 << 10

// ServeHTTP answers 200 to a report it verified and recorded (anything else
// makes the Gateway send it again, up to 10 times): 401 to a wrong signature
// or a stale timestamp, 400 to a body that is not a RequestStatus, 503 when
// the status could not be kept.
func (r *Reports) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	if req.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, req.Body, maxReport))
	if err != nil {
		http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
		return
	}
	if err := r.verify(req.Header.Get(HeaderTimestamp), req.Header.Get(HeaderSignature), body); err != nil {
		r.o.Log.LogAttrs(req.Context(), slog.LevelWarn, "tggateway report refused", slog.String("error", err.Error()))
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	var st RequestStatus
	if err := json.Unmarshal(body, &st); err != nil || st.RequestID == "" || st.DeliveryStatus == nil {
		http.Error(w, "not a delivery report", http.StatusBadRequest)
		return
	}
	if err := r.record(req.Context(), st); err != nil {
		r.o.Log.LogAttrs(req.Context(), slog.LevelWarn, "tggateway report not kept", slog.String("error", err.Error()))
		http.Error(w, "try again", http.StatusServiceUnavailable)
		return
	}
	w.WriteHeader(http.StatusOK)
}

func (r *Reports) verify(timestamp, signature string, body []byte) error {
	ts, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return fmt.Errorf("timestamp %q: %w", timestamp, err)
	}
	if age := r.o.Now().Sub(time.Unix(ts, 0)).Abs(); age > r.o.MaxAge {
		return fmt.Errorf("timestamp %d is %v away", ts, age)
	}
	want := sign(r.key, timestamp, body)
	if !hmac.Equal([]byte(want), []byte(signature)) {
		return errors.New("signature does not match")
	}
	return nil
}

// Report is what is kept of a message's delivery.
type Report struct {
	Status    string    // sent, delivered, read, expired, revoked
	UpdatedAt time.Time // as the Gateway says
	Refunded  bool
}

type reportDoc struct {
	Status    string `json:"status"`
	UpdatedAt int64  `json:"updated_at"`
	Refunded  bool   `json:"refunded,omitempty"`
}

func reportKey(requestID string) string { return "tggateway:report:" + requestID }

// record keeps st unless a newer status of the message is kept already
// (reports may arrive out of order when retried).
func (r *Reports) record(ctx context.Context, st RequestStatus) error {
	doc := reportDoc{Status: st.DeliveryStatus.Status, UpdatedAt: st.DeliveryStatus.UpdatedAt, Refunded: st.IsRefunded}
	if old, ok, err := r.load(ctx, st.RequestID); err != nil {
		return err
	} else if ok && old.UpdatedAt.Unix() > doc.UpdatedAt {
		return nil
	}
	raw, err := json.Marshal(doc)
	if err != nil {
		return fmt.Errorf("tggateway: encode report: %w", err)
	}
	if err := r.cache.Set(ctx, reportKey(st.RequestID), raw, r.o.Keep); err != nil {
		return fmt.Errorf("tggateway: keep report: %w", err)
	}
	return nil
}

// Status returns the latest delivery report on the message with
// requestID (a DeliveryResult.ID of this channel), and false when none
// arrived or it is older than ReportOptions.Keep.
func (r *Reports) Status(ctx context.Context, requestID string) (Report, bool, error) {
	return r.load(ctx, requestID)
}

func (r *Reports) load(ctx context.Context, requestID string) (Report, bool, error) {
	raw, ok, err := r.cache.Get(ctx, reportKey(requestID))
	if err != nil || !ok {
		return Report{}, false, err
	}
	var doc reportDoc
	if err := json.Unmarshal(raw, &doc); err != nil {
		return Report{}, false, fmt.Errorf("tggateway: read report: %w", err)
	}
	return Report{Status: doc.Status, UpdatedAt: time.Unix(doc.UpdatedAt, 0), Refunded: doc.Refunded}, true, nil
}
