package app

import (
	"bufio"
	"bytes"
	"encoding/json"
	"sync"
	"testing"
	"time"
)

// logRecords is a log sink safe for concurrent writes that tests read:
// the codes and links dev mode logs, or any text.
type logRecords struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logRecords) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logRecords) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// last returns attribute attr of the last JSON record with message msg
// whose attributes include every one of where, or "".
func (l *logRecords) last(msg string, where map[string]string, attr string) string {
	sc := bufio.NewScanner(bytes.NewReader([]byte(l.String())))
	found := ""
	for sc.Scan() {
		var rec map[string]any
		if json.Unmarshal(sc.Bytes(), &rec) != nil || rec["msg"] != msg {
			continue
		}
		match := true
		for k, v := range where {
			match = match && rec[k] == v
		}
		if v, ok := rec[attr].(string); ok && match {
			found = v
		}
	}
	return found
}

// wait is last, waiting (bounded: deliveries run in the background) until
// such a record is there.
func (l *logRecords) wait(tb testing.TB, msg string, where map[string]string, attr string) string {
	tb.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if v := l.last(msg, where, attr); v != "" {
			return v
		}
		if time.Now().After(deadline) {
			tb.Fatalf("no %q record with %v in the log", msg, where)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// link waits for the notification of purpose mailed to recipient and
// returns its link.
func (l *logRecords) link(tb testing.TB, recipient, purpose string) string {
	tb.Helper()
	return l.wait(tb, "notification", map[string]string{"recipient": recipient, "purpose": purpose}, "link")
}

// find waits for the last record with message msg to recipient and
// returns its attribute attr.
func (l *logRecords) find(tb testing.TB, msg, recipient, attr string) string {
	tb.Helper()
	return l.wait(tb, msg, map[string]string{"recipient": recipient}, attr)
}
