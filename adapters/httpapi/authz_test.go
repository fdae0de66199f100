package httpapi_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"gatehouse/adapters/httpapi"
)

func TestAuthorizationToken(t *testing.T) {
	tests := []struct{ header, want string }{
		{"q5Vx0yJz", "q5Vx0yJz"},
		{"Bearer q5Vx0yJz", "q5Vx0yJz"},
		{"bearer  q5Vx0yJz ", "q5Vx0yJz"},
		{"  q5Vx0yJz  ", "q5Vx0yJz"},
		{"Bearer ", "Bearer"},
		{"", ""},
	}
	for _, tt := range tests {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Header.Set("Authorization", tt.header)
		if got := httpapi.AuthorizationToken(r); got != tt.want {
			t.Errorf("AuthorizationToken(%q) = %q, want %q", tt.header, got, tt.want)
		}
	}
}
