//! The revenue report on the OKR tab (issue 21): the table of `frontdesk report revenue --by
//! category|treatment|provider|month` (`store::payments::revenue_by`), net of refunds and
//! corrections. `r` opens it (again: the next grouping), Left/Right change the period (this
//! month, last month, the selected key result's window), Esc goes back to the board.

use super::*;
use crate::app::kit::table::{Column, Table};
use crate::domain::payments::PaymentCategory;
use crate::domain::text::format_won;
use crate::store::payments::{RevenueBy, RevenueRow};

/// The groupings, in the order `r` cycles through them.
const GROUPINGS: [RevenueBy; 4] =
    [RevenueBy::Category, RevenueBy::Treatment, RevenueBy::Provider, RevenueBy::Month];

/// Which days the report adds up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Period {
    ThisMonth,
    LastMonth,
    /// The window the selected key result is judged on (its month, or its period to date).
    KeyResult,
}

/// The open report.
#[derive(Debug)]
pub(super) struct Revenue {
    pub(super) by: RevenueBy,
    pub(super) period: Period,
    /// The selected key result's title and judged window, when one was selected on opening.
    key_result: Option<(String, NaiveDate, NaiveDate)>,
    pub(super) from: NaiveDate,
    pub(super) to: NaiveDate,
    pub(super) rows: Vec<RevenueRow>,
    selection: Selection,
}

/// True for the metrics that add up payments (their key results open the report on their window).
fn is_revenue(m: &Metric) -> bool {
    matches!(
        m.base(),
        Metric::Revenue
            | Metric::RevenueCovered
            | Metric::RevenueNonCovered
            | Metric::RevenueCarInsurance
            | Metric::RevenuePerVisit
            | Metric::PackageSales
    )
}

impl Revenue {
    fn window(&self, today: NaiveDate) -> (NaiveDate, NaiveDate) {
        let first = first_of_month(today);
        match (self.period, &self.key_result) {
            (Period::KeyResult, Some((_, from, to))) => (*from, *to),
            (Period::LastMonth, _) => {
                let from = first.checked_sub_months(Months::new(1)).unwrap_or(first);
                (from, first.pred_opt().unwrap_or(first))
            }
            _ => (first, today),
        }
    }

    fn load(&mut self, ctx: &Ctx<'_>) -> store::Result<()> {
        let (from, to) = self.window(ctx.today());
        self.from = from;
        self.to = to;
        self.rows = store::payments::revenue_by(&*ctx.store, self.by, from, to)?;
        self.selection.set_len(self.rows.len());
        Ok(())
    }

    /// The periods Left/Right go through: the key result's window only when one was selected.
    fn periods(&self) -> Vec<Period> {
        let mut p = vec![Period::ThisMonth, Period::LastMonth];
        if self.key_result.is_some() {
            p.push(Period::KeyResult);
        }
        p
    }
}

impl OkrTab {
    /// Opens the report: on the selected key result's window when it counts revenue, else on
    /// this month.
    fn open_revenue(&mut self, ctx: &Ctx<'_>) -> Outcome {
        let today = ctx.today();
        let mut key_result = None;
        let mut revenue_kr = false;
        if let (Some(o), Some(k)) = (self.selected_objective(), self.selected_key_result()) {
            let kr = &k.key_result;
            if let Some((from, end)) = okr::judged_window(kr.cadence, o.objective.from, o.objective.to, today)
            {
                key_result = Some((kr.title.clone(), from, end.min(today).max(from)));
                revenue_kr = kr.metric.as_ref().is_some_and(is_revenue);
            }
        }
        let mut r = Revenue {
            by: RevenueBy::Category,
            period: if revenue_kr { Period::KeyResult } else { Period::ThisMonth },
            key_result,
            from: today,
            to: today,
            rows: Vec::new(),
            selection: Selection::default(),
        };
        match r.load(ctx) {
            Ok(()) => {
                self.revenue = Some(r);
                Outcome::Handled
            }
            Err(e) => Outcome::Error(e.to_string()),
        }
    }

    /// Reads the open report again (after any change, as the board).
    pub(super) fn reload_revenue(&mut self, ctx: &Ctx<'_>) -> store::Result<()> {
        match &mut self.revenue {
            Some(r) => r.load(ctx),
            None => Ok(()),
        }
    }

    /// The report's keys; `None` when the report is closed and the key does not open it.
    pub(super) fn revenue_command(&mut self, command: Command, ctx: &mut Ctx<'_>) -> Option<Outcome> {
        let Some(r) = &mut self.revenue else {
            return (command == Command::Report && self.drill.is_none()).then(|| self.open_revenue(ctx));
        };
        match command {
            Command::Back => {
                self.revenue = None;
                return Some(Outcome::Handled);
            }
            Command::Report => {
                let i = GROUPINGS.iter().position(|b| *b == r.by).unwrap_or(0);
                r.by = GROUPINGS[(i + 1) % GROUPINGS.len()];
                r.selection = Selection::default();
            }
            Command::SectionPrev | Command::SectionNext => {
                let periods = r.periods();
                let i = periods.iter().position(|p| *p == r.period).unwrap_or(0);
                let n = periods.len();
                let next = if command == Command::SectionNext { (i + 1) % n } else { (i + n - 1) % n };
                r.period = periods[next];
            }
            Command::Up
            | Command::Down
            | Command::PageUp
            | Command::PageDown
            | Command::Top
            | Command::Bottom => {
                r.selection.on_command(command);
                return Some(Outcome::Handled);
            }
            // The board's other keys wait until the report is closed.
            Command::New | Command::AddKeyResult | Command::Edit | Command::CheckIn | Command::Open => {
                return Some(Outcome::Message(
                    ctx.lang.pick("Esc로 보고서를 닫고 하세요", "Close the report first (Esc)").into(),
                ));
            }
            _ => return None,
        }
        Some(match r.load(ctx) {
            Ok(()) => Outcome::Handled,
            Err(e) => Outcome::Error(e.to_string()),
        })
    }

    pub(super) fn render_revenue(&self, r: &Revenue, area: Rect, buf: &mut Buffer, view: &View<'_>) {
        let (lang, theme) = (view.lang, view.theme);
        let by = by_label(r.by, lang);
        let period = match (r.period, &r.key_result) {
            (Period::KeyResult, Some((title, ..))) => title.clone(),
            (Period::LastMonth, _) => lang.pick("지난 달", "last month").to_string(),
            _ => lang.pick("이번 달", "this month").to_string(),
        };
        let title = match lang {
            Lang::Ko => format!(" 매출 보고서: {by}  {} ~ {} ({period}) ", r.from, r.to),
            Lang::En => format!(" Revenue by {by}  {} ~ {} ({period}) ", r.from, r.to),
        };
        let block =
            widgets::panel(Line::from(truncate(&title, area.width.saturating_sub(2) as usize)), theme);
        let inner = block.inner(area);
        block.render(area, buf);
        if inner.height < 3 {
            return;
        }
        let columns = [
            Column::new(head_label(r.by, lang), 16).fill(),
            Column::new(lang.pick("순매출(원)", "Net (won)"), 14).right(),
            Column::new(lang.pick("건수", "Payments"), 8).right(),
            Column::new(lang.pick("환불/정정(원)", "Refunds (won)"), 14).right().hide_below(56),
            Column::new(lang.pick("비중", "Share"), 6).right().hide_below(64),
        ];
        let total: i64 = r.rows.iter().map(|x| x.net_krw).sum();
        let rows: Vec<Vec<Span<'_>>> = r
            .rows
            .iter()
            .map(|x| {
                let share = if total > 0 { format!("{}%", x.net_krw * 100 / total) } else { "-".into() };
                vec![
                    Span::raw(key_label(r.by, &x.key, view)),
                    Span::raw(format_won(x.net_krw)),
                    Span::raw(x.payments.to_string()),
                    Span::styled(
                        format_won(x.refunds_krw),
                        if x.refunds_krw < 0 { theme.warn } else { theme.dim },
                    ),
                    Span::raw(share),
                ]
            })
            .collect();
        // Its keys are in the footer (keymap `OKR_REPORT`), the period in the title.
        let [table_area, total_area] =
            Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(inner);
        let empty = lang.pick("이 기간에 수납이 없습니다", "No payments in this period");
        Table::new(&columns, &rows, theme).selection(&r.selection).empty(empty).render(table_area, buf);
        let payments: i64 = r.rows.iter().map(|x| x.payments).sum();
        let refunds: i64 = r.rows.iter().map(|x| x.refunds_krw).sum();
        let line = match lang {
            Lang::Ko => format!(
                "합계 {}원  수납 {payments}건  환불/정정 {}원",
                format_won(total),
                format_won(refunds)
            ),
            Lang::En => format!(
                "Total {} won  {payments} payments  refunds {} won",
                format_won(total),
                format_won(refunds)
            ),
        };
        Paragraph::new(Line::styled(truncate(&line, total_area.width as usize), theme.title))
            .render(total_area, buf);
    }
}

fn by_label(by: RevenueBy, lang: Lang) -> &'static str {
    match by {
        RevenueBy::Category => lang.pick("구분별", "category"),
        RevenueBy::Treatment => lang.pick("치료별", "treatment"),
        RevenueBy::Provider => lang.pick("원장별", "provider"),
        RevenueBy::Month => lang.pick("월별", "month"),
    }
}

/// The first column's heading.
fn head_label(by: RevenueBy, lang: Lang) -> &'static str {
    match by {
        RevenueBy::Category => lang.pick("구분", "Category"),
        RevenueBy::Treatment => lang.pick("치료", "Treatment"),
        RevenueBy::Provider => lang.pick("원장", "Provider"),
        RevenueBy::Month => lang.pick("월", "Month"),
    }
}

/// A group's key in words: the category's or treatment's label, the provider's name, the month.
fn key_label(by: RevenueBy, key: &str, view: &View<'_>) -> String {
    let lang = view.lang;
    if key.is_empty() {
        return lang.pick("(없음)", "(none)").into();
    }
    match by {
        RevenueBy::Category => {
            PaymentCategory::parse(key).map(|c| c.label(lang).to_string()).unwrap_or(key.into())
        }
        RevenueBy::Treatment => view.catalog.treatment_label(key, lang),
        RevenueBy::Provider | RevenueBy::Month => key.to_string(),
    }
}
