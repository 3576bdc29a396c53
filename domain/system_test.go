package domain_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"elvcare/domain"
)

func TestSystems(t *testing.T) {
	want := []domain.System{"network", "telephone", "pa", "cctv", "alarm", "onecard"}
	if diff := cmp.Diff(domain.Systems(), want); diff != "" {
		t.Errorf("Systems() (-got +want):\n%s", diff)
	}
}

func TestSystemLabel(t *testing.T) {
	tests := []struct {
		name string
		sys  domain.System
		want string
	}{
		{"network", domain.SystemNetwork, "综合布线/网络"},
		{"telephone", domain.SystemTelephone, "电话/程控交换机"},
		{"pa", domain.SystemPA, "公共广播"},
		{"cctv", domain.SystemCCTV, "闭路监控"},
		{"alarm", domain.SystemAlarm, "红外防盗报警"},
		{"onecard", domain.SystemOneCard, "一卡通"},
		{"unknown", domain.System("hvac"), ""},
		{"empty", domain.System(""), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.sys.Label(); got != tt.want {
				t.Errorf("Label() = %q, want %q", got, tt.want)
			}
			if got, want := tt.sys.Valid(), tt.want != ""; got != want {
				t.Errorf("Valid() = %v, want %v", got, want)
			}
		})
	}
}

func TestParseSystem(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    domain.System
		wantErr bool
	}{
		{"plain", "cctv", domain.SystemCCTV, false},
		{"upper case and spaces", "  OneCard ", domain.SystemOneCard, false},
		{"empty", "", "", true},
		{"chinese label is not an id", "闭路监控", "", true},
		{"unknown", "hvac", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := domain.ParseSystem(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("ParseSystem(%q) error = %v, wantErr %v", tt.in, err, tt.wantErr)
			}
			if err != nil && domain.KindOf(err) != domain.KindInvalid {
				t.Errorf("kind = %v, want KindInvalid", domain.KindOf(err))
			}
			if got != tt.want {
				t.Errorf("ParseSystem(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
