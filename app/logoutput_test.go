package app

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestLogOutputKeepsEveryLineInOrder(t *testing.T) {
	tests := []struct {
		name  string
		lines int
		wait  func(o *LogOutput, out *logRecords, want string)
	}{
		{"flushed", 10, func(o *LogOutput, _ *logRecords, _ string) { o.Flush() }},
		{"past the size", logFlushSize / 8, func(o *LogOutput, _ *logRecords, _ string) { o.Flush() }},
		{"by the timer", 3, func(_ *LogOutput, out *logRecords, want string) {
			deadline := time.Now().Add(10 * time.Second)
			for out.String() != want && time.Now().Before(deadline) {
				time.Sleep(time.Millisecond)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := &logRecords{}
			o := NewLogOutput(out)
			var want strings.Builder
			for i := range tt.lines {
				line := fmt.Sprintf("line %07d\n", i)
				want.WriteString(line)
				if _, err := o.Write([]byte(line)); err != nil {
					t.Fatal(err)
				}
			}
			tt.wait(o, out, want.String())
			if got := out.String(); got != want.String() {
				t.Fatalf("wrote %d bytes, want %d in order", len(got), want.Len())
			}
		})
	}
}
