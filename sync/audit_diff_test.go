package sync

import "testing"

func TestDiffJSON(t *testing.T) {
	tests := []struct {
		name, before, after, wantBefore, wantAfter string
	}{
		{"changed field", `{"a":1,"b":"x"}`, `{"a":2,"b":"x"}`, `{"a":1}`, `{"a":2}`},
		{"appended to a list", `{"work":[{"id":"1"}],"rev":3}`, `{"work":[{"id":"1"},{"id":"2"}],"rev":4}`, `{"rev":3}`, `{"rev":4,"work":{"$appended":[{"id":"2"}]}}`},
		{"first element", `{"work":[]}`, `{"work":[{"id":"1"}]}`, `{}`, `{"work":{"$appended":[{"id":"1"}]}}`},
		{"list rewritten", `{"l":[1,2]}`, `{"l":[2,3]}`, `{"l":[1,2]}`, `{"l":[2,3]}`},
		{"field removed", `{"a":1,"b":2}`, `{"a":1}`, `{"b":2}`, `{"b":null}`},
		{"field added", `{"a":1}`, `{"a":1,"c":[1]}`, `{}`, `{"c":[1]}`},
		{"not an object", `[1]`, `[1,2]`, `[1]`, `[1,2]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, a := diffJSON([]byte(tt.before), []byte(tt.after))
			if string(b) != tt.wantBefore || string(a) != tt.wantAfter {
				t.Errorf("got %s → %s, want %s → %s", b, a, tt.wantBefore, tt.wantAfter)
			}
		})
	}
}
