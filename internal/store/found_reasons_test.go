package store_test

import (
	"testing"

	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store"
	"github.com/herald-gov/herald/internal/store/storetest"
)

// TestFoundLookalikeReasons: reasons are stored with their keys and
// arguments, and a row stored before keys, its reasons plain English
// strings, still reads, as reasons with no key.
func TestFoundLookalikeReasons(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		url := storetest.URL(t, dialect)
		s := storetest.OpenURL(t, url)
		score := 0.8
		r := model.NewLookalikeReason("lookalike.handle_edits", "2", "@UNOPS")
		found := []model.FoundAccount{
			{Platform: "x", Handle: "UN0PZ", HandleKey: "un0pz", LookalikeScore: &score, Reasons: []model.LookalikeReason{r}},
			{Platform: "x", Handle: "UNOPS_Old", HandleKey: "unops_old", LookalikeScore: &score, Reasons: []model.LookalikeReason{r}},
		}
		must(t, s.ImportFoundAccounts(ctx, admin, found))
		got, err := s.FoundAccount(ctx, found[0].ID)
		must(t, err)
		if len(got.Reasons) != 1 || got.Reasons[0].Key != r.Key || got.Reasons[0].English != r.English ||
			len(got.Reasons[0].Args) != 2 || got.Reasons[0].Args[0] != "2" || got.Reasons[0].Args[1] != "@UNOPS" {
			t.Errorf("reasons read back as %+v, want %+v", got.Reasons, r)
		}

		q := "UPDATE found_accounts SET lookalike_reasons = ? WHERE id = ?"
		if dialect == store.Postgres {
			q = "UPDATE found_accounts SET lookalike_reasons = $1 WHERE id = $2"
		}
		storetest.Exec(t, url, q, `["uses the organization's name \"UNOPS\""]`, found[1].ID)
		old, err := s.FoundAccount(ctx, found[1].ID)
		must(t, err)
		if len(old.Reasons) != 1 || old.Reasons[0].Key != "" || old.Reasons[0].Text("fr") != `uses the organization's name "UNOPS"` {
			t.Errorf("an old row's reasons read as %+v", old.Reasons)
		}
	})
}
