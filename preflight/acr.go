package preflight

// This file owns the ACR Tasks check. The program builds the WordPress image with an ACR run
// unless wordpress.imageReference (or wordpress.image) names one; ACR Tasks do not run on
// free-credit subscriptions. No read-only API answers "may tasks run here", so the check goes by
// the subscription's offer (its quota id).

import "fmt"

// Offers by quota id: paid offers, on which ACR Tasks run, and credit offers, on which they are
// refused or may be.
var (
	paidOffers = map[string]bool{
		"PayAsYouGo_2014-09-01":          true,
		"EnterpriseAgreement_2014-09-01": true,
		"MSDNDevTest_2014-09-01":         true,
		"CSP_2015-05-01":                 true,
	}
	creditOffers = map[string]bool{
		"FreeTrial_2014-09-01":        true,
		"AzureForStudents_2018-01-01": true,
		"AzurePass_2014-09-01":        true,
		"Sponsored_2016-01-01":        true,
		"MSDN_2014-09-01":             true,
	}
)

// prebuiltFix points at the config that skips the ACR build.
const prebuiltFix = "build the image elsewhere (CI, or `docker build images/wordpress` and push) and set wordpress.imageReference to it pinned by digest; see README, First run"

// checkACRTasks judges whether the image build can run, when the plan has one.
func checkACRTasks(s Stack, acct *account) []Result {
	r := Result{Status: OK, Check: "acr tasks", Asked: "the subscription's offer (subscriptionPolicies.quotaId)"}
	if !s.has("azure-native:containerregistry:TaskRun") {
		r.Asked = "nothing: the plan has no ACR build"
		r.Answer = "not needed: wordpress.imageReference or wordpress.image names the image"
		return []Result{r}
	}
	q := acct.sub.QuotaID
	switch {
	case paidOffers[q]:
		r.Answer = fmt.Sprintf("offer %s is a paid offer: ACR Tasks run", q)
	case creditOffers[q]:
		r.Status = Warn
		r.Answer = fmt.Sprintf("offer %s runs on credits: ACR Tasks are not available on free-credit subscriptions, and the image build would fail", q)
		r.Fix = prebuiltFix
	default:
		r.Status = Warn
		r.Answer = fmt.Sprintf("offer %q is not one the preflight knows, so whether ACR Tasks run is not known", q)
		r.Fix = "if the image build fails with TasksOperationsNotAllowed, " + prebuiltFix
	}
	return []Result{r}
}
