package sync

import (
	"encoding/json"
	"reflect"
	"testing"
)

// TestPlainStringsAgrees: scope lists read by hand read as the decoder
// reads them, and anything else is left to it.
func TestPlainStringsAgrees(t *testing.T) {
	for _, list := range [][]string{{}, {"user:01a2"}, {"user:01a2", "role:desk", "all"}, {"王工", ""}} {
		data, _ := json.Marshal(list)
		got, ok := plainStrings(data)
		if !ok || !reflect.DeepEqual(got, list) {
			t.Errorf("plainStrings(%s) = %q, %v", data, got, ok)
		}
	}
	for _, data := range []string{`null`, `["a\"b"]`, `["a",]`, `["a" ,"b"]`, `[1]`, `["a"`, `"a"`, `[""`, `["\u003c"]`, "[\"\xff\"]"} {
		if got, ok := plainStrings([]byte(data)); ok {
			t.Errorf("plainStrings(%s) = %q, want it left to the decoder", data, got)
		}
	}
}
