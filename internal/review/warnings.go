package review

import (
	"fmt"
	"time"

	"github.com/herald-gov/herald/internal/model"
)

// Warning is advice shown with a draft that does not stop it.
type Warning struct {
	Key, Clause, Message string
}

// Warnings are what an author should know before posting for acc now: a
// project account whose project has ended (4.6: an account no longer needed
// must be closed). Posting stays possible: a farewell post is how followers
// learn where to go.
func (s *Service) Warnings(acc model.Account) []Warning {
	if acc.Kind != model.KindProject || acc.Project == nil || acc.Project.EndDate == "" {
		return nil
	}
	end, err := time.Parse(time.DateOnly, acc.Project.EndDate)
	if err != nil || !s.now().After(end.Add(24*time.Hour)) {
		return nil
	}
	name := "The project"
	if acc.Project.Name != "" {
		name = fmt.Sprintf("The project %q", acc.Project.Name)
	}
	return []Warning{{Key: "draft.project_ended", Clause: "4.6", Message: fmt.Sprintf(
		"%s ended on %s. Under policy 4.6 an account that is no longer updated must be closed: "+
			"post only to tell followers where to find news of the work from now on, and ask for the account's closure.",
		name, acc.Project.EndDate)}}
}
