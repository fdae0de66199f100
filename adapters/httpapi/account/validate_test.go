package account

import (
	"strings"
	"testing"

	"gatehouse/core/fault"
)

func TestRules(t *testing.T) {
	long := func(n int) string { return "Д" + strings.Repeat("а", n) }
	tests := []struct {
		field, value string
		ok           bool
	}{
		{"login", "danila_ginda", true},
		{"login", "abcd", true},
		{"login", strings.Repeat("a", 32), true},
		{"login", "abc", false},
		{"login", strings.Repeat("a", 33), false},
		{"login", "Danila", false},
		{"login", "dan.ila", false},
		{"login", "dan-ila", false},
		{"login", "данила", false},
		{"login", "danila ", false},
		{"password", "Voskresensk2005", true},
		{"password", "Aa345678", true},
		{"password", "Aa3456789012345678901"[:20], true},
		{"password", "Aa34567", false},
		{"password", "Aa3456789012345678901", false},
		{"password", "aa345678", false},
		{"password", "AA345678", false},
		{"password", "Aabcdefgh", false},
		{"password", "Пароль12Aa", true},
		{"email", "danila@example.com", true},
		{"email", "a@b.c", true},
		{"email", "danila@example", false},
		{"email", "danila.example.com", false},
		{"email", "@example.com", false},
		{"first_name", "Данила", true},
		{"first_name", "Семён", true},
		{"first_name", "Ёлкин", true},
		{"first_name", "Анна мария", true},
		{"first_name", "Я", false},
		{"first_name", "данила", false},
		{"first_name", "Danila", false},
		{"first_name", "Данила-Мария", false},
		{"first_name", "ДАнила", false},
		{"first_name", " Данила", false},
		{"first_name", long(255), true},
		{"first_name", long(256), false},
		{"last_name", "Гинда", true},
		{"last_name", "Гинда1", false},
		{"patronymic", "Андреевич", true},
		{"patronymic", "андреевич", false},
		{"birthday", "2005-04-07", true},
		{"birthday", "2024-02-29", true},
		{"birthday", "2023-02-29", false},
		{"birthday", "2005-4-7", false},
		{"birthday", "07.04.2005", false},
		{"background_color", "#e209e5", true},
		{"background_color", "#005CC9", true},
		{"background_color", "#e209e", false},
		{"background_color", "e209e5", false},
		{"background_color", "#e209g5", false},
	}
	for _, tt := range tests {
		t.Run(tt.field+"="+tt.value, func(t *testing.T) {
			err := check(required(tt.field, tt.value))
			if (err == nil) != tt.ok {
				t.Fatalf("check = %v, want ok %v", err, tt.ok)
			}
			if err == nil {
				return
			}
			fe, _ := fault.As(err)
			if fe.Code != fault.Invalid || len(fe.Fields) != 1 || fe.Fields[0].Field != tt.field ||
				!strings.HasPrefix(fe.Message, tt.field+": ") || fe.Fields[0].Rule != "format" {
				t.Fatalf("error = %+v, want one format error naming %s", fe, tt.field)
			}
		})
	}
}

func TestCheckPresence(t *testing.T) {
	empty, blank := "", "  "
	tests := []struct {
		name   string
		fields []input
		want   string // the errorMessage, "" for none
	}{
		{"all present", []input{required("login", "abcd"), required("email", "a@b.c")}, ""},
		{"required empty", []input{required("login", "")}, "login: is required"},
		{"required blank", []input{required("first_name", "  ")}, "first_name: is required"},
		{"optional absent", []input{optional("first_name", nil), optional("birthday", nil)}, ""},
		{"optional empty where allowed", []input{optional("patronymic", &empty), optional("birthday", &empty),
			optional("background_color", &empty)}, ""},
		{"optional blank where empty is allowed", []input{optional("patronymic", &blank)}, "patronymic: must match"},
		{"optional empty where not allowed", []input{optional("first_name", &empty)}, "first_name: is required"},
		{"several", []input{required("login", "A"), required("password", "")},
			"login: must match [a-z0-9_]{4,32}; password: is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := check(tt.fields...)
			if got := messageOrEmpty(err); !strings.HasPrefix(got, tt.want) || (tt.want == "") != (got == "") {
				t.Fatalf("check = %q, want %q", got, tt.want)
			}
		})
	}
}

func messageOrEmpty(err error) string {
	if err == nil {
		return ""
	}
	return messageOf(err)
}

func TestTrimFieldName(t *testing.T) {
	tests := []struct{ field, msg, want string }{
		{"first_name", "first name must be at most 256 characters", "must be at most 256 characters"},
		{"password", "password is too common and easy to guess; choose another one", "is too common and easy to guess; choose another one"},
		{"email", "must match x", "must match x"},
		{"login", "loginless", "loginless"},
	}
	for _, tt := range tests {
		if got := trimFieldName(tt.field, tt.msg); got != tt.want {
			t.Errorf("trimFieldName(%q, %q) = %q, want %q", tt.field, tt.msg, got, tt.want)
		}
	}
}
