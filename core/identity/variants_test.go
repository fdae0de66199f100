package identity

import (
	"slices"
	"testing"
)

func TestCommonForms(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Summer2024!", []string{"summer2024!", "summer", "summerzozai", "summerzozal"}},
		{"P@ssword1", []string{"p@ssword1", "p@ssword", "passwordi", "passwordl", "password"}},
		{"2024Dragon!", []string{"2024dragon!", "2024dragon", "dragon", "zozadragoni", "zozadragonl", "zozadragon"}},
		{"correct horse battery", []string{"correct horse battery"}},
		{"Xq7vLm2pZ", []string{"xq7vlm2pz", "xqtvlmzpz"}},
		// Stem too short, tail too long: no stem.
		{"cat2024!!", []string{"cat2024!!", "catzozaii", "catzozall"}},
		{"love#83521970", []string{"love#83521970", "love#beszigto", "love#beszlgto"}},
		// Six characters stripped is the most.
		{"dragon123456", []string{"dragon123456", "dragon", "dragonizeasg", "dragonlzeasg"}},
		{"пароль2024", []string{"пароль2024", "пароль", "парольzoza"}},
	}
	for _, tt := range tests {
		if got := commonForms(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("commonForms(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
