package sync_test

import (
	"encoding/json"
	"math/rand/v2"
	"testing"

	"elvcare/sync"
)

// TestPullResponseAppendJSON: the hand-written answer is what
// encoding/json writes, for records it copies as they are and for records
// it must rewrite (spaces, characters it escapes, invalid UTF-8).
func TestPullResponseAppendJSON(t *testing.T) {
	datas := []string{
		`{"id":"019b0000-0000-7000-8000-000000000001","name":"深圳市华强物业管理有限公司","address":"深圳市福田区华强北路 1019 号"}`,
		`{"a":[1,2.5,-3e2,true,false,null],"b":{"c":"\"引号\" 与 \\ 反斜杠\\"}}`,
		`{"text":"\u003cb\u003e 已转义 \u0026"}`,
		`{"text":"<b>未转义</b> & 符号"}`,
		`{ "spaced" : [ 1 , 2 ] }`,
		"{\"line\":\"a\u2028b\"}",
		"{\"bad\":\"\xff\xfe\"}",
		`"只是字符串"`,
		`12345`,
		`[]`,
		`{}`,
		"{\n  \"pretty\": true\n}",
		`{"tab":"a\tb"}`,
	}
	strs := []string{"", "0", "tickets", "019b0000-0000-7000-8000-0000000000ff", "带<尖括号>&", "引号\"", "\u2029", "put", "evict"}
	r := rand.New(rand.NewPCG(1, 2))
	pick := func(xs []string) string { return xs[r.IntN(len(xs))] }
	for round := range 300 {
		resp := sync.PullResponse{Cursor: pick(strs), LastMutationID: r.Uint64N(1 << 40), Reset: r.IntN(2) == 0, More: r.IntN(2) == 0}
		if round%7 != 0 {
			resp.Changes = []sync.PullChange{}
			for range r.IntN(6) {
				ch := sync.PullChange{Version: r.Uint64(), Collection: pick(strs), ID: pick(strs), Op: pick(strs)}
				if r.IntN(4) > 0 {
					ch.Data = json.RawMessage(pick(datas))
				}
				resp.Changes = append(resp.Changes, ch)
			}
		}
		want, wantErr := json.Marshal(resp)
		got, err := resp.AppendJSON([]byte("prefix:"))
		if (err != nil) != (wantErr != nil) {
			t.Fatalf("round %d: error %v, encoding/json %v", round, err, wantErr)
		}
		if err == nil && string(got) != "prefix:"+string(want) {
			t.Fatalf("round %d:\n got %s\nwant prefix:%s", round, got, want)
		}
	}
}
