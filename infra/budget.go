package infra

import (
	"fmt"
	"time"

	"github.com/example/wordpress-aks/config"
	"github.com/pulumi/pulumi-azure-native-sdk/consumption/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// budgetNotices are the budget's mails: early warning, the amount reached, and Azure's
// forecast saying the month will end above it.
var budgetNotices = []struct {
	key       string
	threshold float64
	kind      string
}{
	{"actual-80", 80, "Actual"},
	{"actual-100", 100, "Actual"},
	{"forecast-100", 100, "Forecasted"},
}

// budgetYears is how long the budget runs before it needs renewing.
const budgetYears = 10

// NewBudget watches the resource group's monthly cost, in the subscription's billing currency,
// and mails the alert addresses.
func NewBudget(ctx *pulumi.Context, cfg config.Config, rg *ResourceGroup, now time.Time) error {
	emails := pulumi.StringArray{}
	for _, e := range cfg.Alerts.Emails {
		emails = append(emails, pulumi.String(e))
	}
	notices := consumption.NotificationMap{}
	for _, n := range budgetNotices {
		notices[n.key] = &consumption.NotificationArgs{
			Enabled:       pulumi.Bool(true),
			Operator:      pulumi.String("GreaterThan"),
			Threshold:     pulumi.Float64(n.threshold),
			ThresholdType: pulumi.String(n.kind),
			ContactEmails: emails,
		}
	}
	// Azure wants the first day of the current month or later, and refuses to change the start
	// of an existing budget, so it is set on creation and ignored afterwards.
	start := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	_, err := consumption.NewBudget(ctx, "budget", &consumption.BudgetArgs{
		BudgetName: pulumi.String(cfg.Names().Budget()),
		Scope:      rg.ID.ToStringOutput(),
		Amount:     pulumi.Float64(cfg.Cost.MonthlyBudget),
		Category:   pulumi.String("Cost"),
		TimeGrain:  pulumi.String("Monthly"),
		TimePeriod: &consumption.BudgetTimePeriodArgs{
			StartDate: pulumi.String(start.Format(time.RFC3339)),
			EndDate:   pulumi.String(start.AddDate(budgetYears, 0, 0).Format(time.RFC3339)),
		},
		Notifications: notices,
	}, pulumi.IgnoreChanges([]string{"timePeriod"}))
	if err != nil {
		return fmt.Errorf("create budget: %w", err)
	}
	return nil
}
