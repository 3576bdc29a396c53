package domain_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"elvcare/domain"
)

func TestServiceAreaZone(t *testing.T) {
	area := domain.DefaultServiceArea()
	tests := []struct {
		name     string
		city     string
		district string
		want     domain.FeeZone
		problems map[string]string
	}{
		{"罗湖", "深圳", "罗湖区", domain.ZoneCity, nil},
		{"福田 with 市", "深圳市", "福田区", domain.ZoneCity, nil},
		{"南山 without 区", "深圳", "南山", domain.ZoneCity, nil},
		{"龙岗 is outside the city zone", "深圳", "龙岗区", domain.ZoneSuburb, nil},
		{"宝安", "深圳", "宝安区", domain.ZoneSuburb, nil},
		{"大鹏新区", "深圳", "大鹏新区", domain.ZoneSuburb, nil},
		{"another city", "东莞", "", domain.ZoneOutOfArea, nil},
		{"珠海", "珠海市", "香洲区", domain.ZoneOutOfArea, nil},
		{"unknown district", "深圳", "天河区", "", map[string]string{"district": "invalid_district"}},
		{"no district", "深圳", "", "", map[string]string{"district": "required"}},
		{"no city", "", "福田区", "", map[string]string{"city": "required"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := area.Zone(tt.city, tt.district)
			if diff := cmp.Diff(arFields(t, err), tt.problems); diff != "" {
				t.Errorf("problems (-got +want):\n%s", diff)
			}
			if got != tt.want {
				t.Errorf("Zone = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestServiceAreaConfigurable(t *testing.T) {
	area := domain.ServiceArea{City: "珠海", Districts: []string{"香洲区", "斗门区", "金湾区"}, CityDistricts: []string{"香洲区"}}
	if err := area.Validate(); err != nil {
		t.Fatal(err)
	}
	for district, want := range map[string]domain.FeeZone{"香洲区": domain.ZoneCity, "斗门": domain.ZoneSuburb} {
		if got, err := area.Zone("珠海市", district); err != nil || got != want {
			t.Errorf("Zone(珠海, %s) = %q, %v; want %q", district, got, err, want)
		}
	}
	if got, _ := area.Zone("深圳", "福田区"); got != domain.ZoneOutOfArea {
		t.Errorf("深圳 from 珠海 = %q", got)
	}
}

func TestServiceAreaValidate(t *testing.T) {
	tests := []struct {
		name string
		area domain.ServiceArea
		want map[string]string
	}{
		{"default", domain.DefaultServiceArea(), nil},
		{"empty", domain.ServiceArea{}, map[string]string{"city": "required", "districts": "required"}},
		{"city zone not in districts", domain.ServiceArea{City: "深圳", Districts: []string{"福田区"}, CityDistricts: []string{"福田区", "天河区"}},
			map[string]string{"cityDistricts[1]": "invalid_district"}},
		{"duplicates", domain.ServiceArea{City: "深圳", Districts: []string{"福田区", "福田区", ""}, CityDistricts: []string{"福田区", "福田区"}},
			map[string]string{"districts[1]": "duplicate", "districts[2]": "required", "cityDistricts[1]": "duplicate"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(arFields(t, tt.area.Validate()), tt.want); diff != "" {
				t.Errorf("problems (-got +want):\n%s", diff)
			}
		})
	}
}

func TestFeeScheduleValidate(t *testing.T) {
	bad := domain.DefaultFeeSchedule()
	bad.Visit.CityFen = -1
	bad.Transport.SuburbFen = 2_000_000_000
	bad.MaxVisitHours = 0
	tests := []struct {
		name string
		s    domain.FeeSchedule
		want map[string]string
	}{
		{"default", domain.DefaultFeeSchedule(), nil},
		{"bad", bad, map[string]string{"visit.cityFen": "negative", "transport.suburbFen": "too_large", "maxVisitHours": "out_of_range"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(arFields(t, tt.s.Validate()), tt.want); diff != "" {
				t.Errorf("problems (-got +want):\n%s", diff)
			}
		})
	}
}

func TestVisitFee(t *testing.T) {
	base := domain.VisitFeeInput{
		Area: domain.DefaultServiceArea(), Schedule: domain.DefaultFeeSchedule(),
		City: "深圳", District: "福田区", Coverage: domain.CoverageNone, People: 1, WorkedMinutes: 90,
	}
	line := func(kind domain.FeeLineKind, unit int64, count int) domain.FeeLine {
		return domain.FeeLine{Kind: kind, UnitFen: unit, Count: count, AmountFen: unit * int64(count)}
	}
	tests := []struct {
		name string
		edit func(*domain.VisitFeeInput)
		want domain.Fee
	}{
		{"city visit, one person", func(*domain.VisitFeeInput) {},
			domain.Fee{Status: domain.FeeCharged, Zone: domain.ZoneCity, Visits: 1, TotalFen: 400_00,
				Lines: []domain.FeeLine{line(domain.FeeLineVisit, 400_00, 1)}}},
		{"suburb visit", func(in *domain.VisitFeeInput) { in.District = "龙岗区" },
			domain.Fee{Status: domain.FeeCharged, Zone: domain.ZoneSuburb, Visits: 1, TotalFen: 600_00,
				Lines: []domain.FeeLine{line(domain.FeeLineVisit, 600_00, 1)}}},
		{"per person: lead and helper", func(in *domain.VisitFeeInput) { in.People = 2 },
			domain.Fee{Status: domain.FeeCharged, Zone: domain.ZoneCity, Visits: 1, TotalFen: 800_00,
				Lines: []domain.FeeLine{line(domain.FeeLineVisit, 400_00, 2)}}},
		{"per-visit contract is charged", func(in *domain.VisitFeeInput) { in.Coverage = domain.CoveragePerVisit },
			domain.Fee{Status: domain.FeeCharged, Zone: domain.ZoneCity, Visits: 1, TotalFen: 400_00,
				Lines: []domain.FeeLine{line(domain.FeeLineVisit, 400_00, 1)}}},
		{"no recorded time is one visit", func(in *domain.VisitFeeInput) { in.WorkedMinutes = 0 },
			domain.Fee{Status: domain.FeeCharged, Zone: domain.ZoneCity, Visits: 1, TotalFen: 400_00,
				Lines: []domain.FeeLine{line(domain.FeeLineVisit, 400_00, 1)}}},
		{"exactly 8 hours is one visit", func(in *domain.VisitFeeInput) { in.WorkedMinutes = 480 },
			domain.Fee{Status: domain.FeeCharged, Zone: domain.ZoneCity, Visits: 1, TotalFen: 400_00,
				Lines: []domain.FeeLine{line(domain.FeeLineVisit, 400_00, 1)}}},
		{"8 hours 1 minute is two visits", func(in *domain.VisitFeeInput) { in.WorkedMinutes = 481 },
			domain.Fee{Status: domain.FeeCharged, Zone: domain.ZoneCity, Visits: 2, TotalFen: 800_00,
				Lines: []domain.FeeLine{line(domain.FeeLineVisit, 400_00, 2)}}},
		{"17 hours, two people, suburb", func(in *domain.VisitFeeInput) { in.WorkedMinutes = 17 * 60; in.People = 2; in.District = "宝安区" },
			domain.Fee{Status: domain.FeeCharged, Zone: domain.ZoneSuburb, Visits: 3, TotalFen: 3600_00,
				Lines: []domain.FeeLine{line(domain.FeeLineVisit, 600_00, 6)}}},
		{"refit return visit, city", func(in *domain.VisitFeeInput) { in.Refit = true },
			domain.Fee{Status: domain.FeeCharged, Zone: domain.ZoneCity, Visits: 1, TotalFen: 320_00,
				Lines: []domain.FeeLine{line(domain.FeeLineRefit, 320_00, 1)}}},
		{"refit return visit, suburb, with transport", func(in *domain.VisitFeeInput) {
			in.Refit = true
			in.District = "龙华区"
			in.TransportTrips = 1
		}, domain.Fee{Status: domain.FeeCharged, Zone: domain.ZoneSuburb, Visits: 1, TotalFen: 480_00 + 350_00,
			Lines: []domain.FeeLine{line(domain.FeeLineRefit, 480_00, 1), line(domain.FeeLineTransport, 350_00, 1)}}},
		{"transport is per trip, not per person", func(in *domain.VisitFeeInput) { in.People = 3; in.TransportTrips = 2 },
			domain.Fee{Status: domain.FeeCharged, Zone: domain.ZoneCity, Visits: 1, TotalFen: 3*400_00 + 2*200_00,
				Lines: []domain.FeeLine{line(domain.FeeLineVisit, 400_00, 3), line(domain.FeeLineTransport, 200_00, 2)}}},
		{"in warranty: nothing", func(in *domain.VisitFeeInput) {
			in.Coverage = domain.CoverageWarranty
			in.TransportTrips = 1
			in.People = 2
		},
			domain.Fee{Status: domain.FeeWarranty, Zone: domain.ZoneCity, Visits: 1, Lines: []domain.FeeLine{}}},
		{"in warranty outside the city: still nothing", func(in *domain.VisitFeeInput) {
			in.Coverage = domain.CoverageWarranty
			in.City, in.District = "东莞", "南城"
		}, domain.Fee{Status: domain.FeeWarranty, Zone: domain.ZoneOutOfArea, Visits: 1, Lines: []domain.FeeLine{}}},
		{"annual: visits included", func(in *domain.VisitFeeInput) { in.Coverage = domain.CoverageAnnual; in.People = 2 },
			domain.Fee{Status: domain.FeeAnnual, Zone: domain.ZoneCity, Visits: 1, Lines: []domain.FeeLine{}}},
		{"annual: transport billed", func(in *domain.VisitFeeInput) {
			in.Coverage = domain.CoverageAnnual
			in.District = "坪山区"
			in.TransportTrips = 1
		}, domain.Fee{Status: domain.FeeAnnual, Zone: domain.ZoneSuburb, Visits: 1, TotalFen: 350_00,
			Lines: []domain.FeeLine{line(domain.FeeLineTransport, 350_00, 1)}}},
		{"outside Shenzhen: liaison letter", func(in *domain.VisitFeeInput) { in.City, in.District = "惠州市", "惠城区"; in.TransportTrips = 1 },
			domain.Fee{Status: domain.FeeLiaison, Zone: domain.ZoneOutOfArea, Visits: 1, Lines: []domain.FeeLine{}}},
		{"under a liaison letter in the city", func(in *domain.VisitFeeInput) { in.Liaison = true },
			domain.Fee{Status: domain.FeeLiaison, Zone: domain.ZoneCity, Visits: 1, Lines: []domain.FeeLine{}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := base
			tt.edit(&in)
			got, err := domain.VisitFee(in)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(got, tt.want); diff != "" {
				t.Errorf("VisitFee (-got +want):\n%s", diff)
			}
		})
	}
}

func TestVisitFeeErrors(t *testing.T) {
	base := domain.VisitFeeInput{
		Area: domain.DefaultServiceArea(), Schedule: domain.DefaultFeeSchedule(),
		City: "深圳", District: "福田区", Coverage: domain.CoverageNone, People: 1,
	}
	tests := []struct {
		name string
		edit func(*domain.VisitFeeInput)
		want map[string]string
	}{
		{"no coverage", func(in *domain.VisitFeeInput) { in.Coverage = "" }, map[string]string{"coverage": "required"}},
		{"unknown coverage", func(in *domain.VisitFeeInput) { in.Coverage = "gold" }, map[string]string{"coverage": "invalid_coverage"}},
		{"nobody went", func(in *domain.VisitFeeInput) { in.People = 0 }, map[string]string{"people": "must_be_positive"}},
		{"a crowd", func(in *domain.VisitFeeInput) { in.People = 51 }, map[string]string{"people": "too_large"}},
		{"negative time and trips", func(in *domain.VisitFeeInput) { in.WorkedMinutes = -1; in.TransportTrips = -1 },
			map[string]string{"workedMinutes": "negative", "transportTrips": "negative"}},
		{"unknown district", func(in *domain.VisitFeeInput) { in.District = "越秀区" }, map[string]string{"district": "invalid_district"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := base
			tt.edit(&in)
			_, err := domain.VisitFee(in)
			if diff := cmp.Diff(arFields(t, err), tt.want); diff != "" {
				t.Errorf("problems (-got +want):\n%s", diff)
			}
		})
	}
	t.Run("broken configuration", func(t *testing.T) {
		in := base
		in.Schedule.MaxVisitHours = 0
		if _, err := domain.VisitFee(in); arCode(err) != "fee_config_invalid" {
			t.Errorf("err = %v", err)
		}
		in = base
		in.Area = domain.ServiceArea{}
		if _, err := domain.VisitFee(in); arCode(err) != "fee_config_invalid" {
			t.Errorf("err = %v", err)
		}
	})
}

func TestFeeLabels(t *testing.T) {
	for z, want := range map[domain.FeeZone]string{"city": "市区", "suburb": "市区外本市范围内", "out_of_area": "本市以外"} {
		if z.Label() != want {
			t.Errorf("%s: %q", z, z.Label())
		}
	}
	for k, want := range map[domain.FeeLineKind]string{"visit": "上门服务费", "refit": "返修二次上门加收", "transport": "大型设备运输费"} {
		if k.Label() != want {
			t.Errorf("%s: %q", k, k.Label())
		}
	}
	for s, want := range map[domain.FeeStatus]string{"charged": "按标准收费", "warranty": "保内免费", "annual": "按年合同已含", "liaison": "按《联络函》计费"} {
		if s.Label() != want {
			t.Errorf("%s: %q", s, s.Label())
		}
	}
}
