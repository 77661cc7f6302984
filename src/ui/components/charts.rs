//! Charts, drawn as SVG: how long the streams are, events per type, how the store grew over
//! simulated time, and how far each projection lags.

use std::rc::Rc;

use yew::prelude::*;

use crate::session::{duration, instant, ChartData};

/// Properties of [`Charts`].
#[derive(Properties, PartialEq)]
pub struct ChartsProps {
    /// What to draw.
    pub data: Rc<ChartData>,
}

const WIDTH: f64 = 560.0;
const BAR: f64 = 26.0;
const LABEL: f64 = 190.0;

/// The charts page.
#[component]
pub fn Charts(props: &ChartsProps) -> Html {
    let data = &props.data;
    html! {
        <div class="lab charts">
            { bar_chart("Stream length histogram", "streams", &data.stream_lengths, "No streams yet.") }
            { bar_chart("Events per type", "events", &data.per_type, "No events yet.") }
            { line_chart("Growth over simulated time", &data.growth) }
            { bar_chart("Projection lag", "events behind", &data.lags, "No projections.") }
        </div>
    }
}

/// Horizontal bars, one per label, scaled to the largest value.
fn bar_chart(title: &str, unit: &str, rows: &[(String, u64)], empty: &str) -> Html {
    let largest = rows.iter().map(|(_, v)| *v).max().unwrap_or(0).max(1);
    #[allow(clippy::cast_precision_loss, reason = "pixel widths")]
    let width = |v: u64| (WIDTH - LABEL - 70.0) * v as f64 / largest as f64;
    #[allow(clippy::cast_precision_loss, reason = "pixel heights")]
    let height = BAR * rows.len().max(1) as f64;
    html! {
        <figure class="chart" aria-label={title.to_owned()}>
            <figcaption>{ title.to_owned() }</figcaption>
            if rows.is_empty() {
                <p class="empty-state">{ empty.to_owned() }</p>
            } else {
                <svg viewBox={format!("0 0 {WIDTH} {height}")} role="img" aria-label={format!("{title}: {}", rows.iter().map(|(l, v)| format!("{l} {v} {unit}")).collect::<Vec<_>>().join(", "))}>
                    { for rows.iter().enumerate().map(|(i, (label, value))| {
                        #[allow(clippy::cast_precision_loss, reason = "pixel offsets")]
                        let y = BAR * i as f64;
                        html! {
                            <g class="bar">
                                <text x={(LABEL - 8.0).to_string()} y={(y + BAR * 0.65).to_string()} text-anchor="end">{ label.clone() }</text>
                                <rect x={LABEL.to_string()} y={(y + 4.0).to_string()} width={width(*value).max(1.0).to_string()} height={(BAR - 8.0).to_string()} />
                                <text x={(LABEL + width(*value) + 6.0).to_string()} y={(y + BAR * 0.65).to_string()} class="value">{ value.to_string() }</text>
                            </g>
                        }
                    }) }
                </svg>
            }
        </figure>
    }
}

/// Events so far against simulated time.
fn line_chart(title: &str, points: &[(i64, u64)]) -> Html {
    let (Some(first), Some(last)) = (points.first(), points.last()) else {
        return html! {
            <figure class="chart" aria-label={title.to_owned()}>
                <figcaption>{ title.to_owned() }</figcaption>
                <p class="empty-state">{ "No events yet." }</p>
            </figure>
        };
    };
    let (height, left, bottom) = (200.0, 60.0, 24.0);
    #[allow(clippy::cast_precision_loss, reason = "pixel coordinates")]
    let (span, top) = (((last.0 - first.0).max(1)) as f64, last.1.max(1) as f64);
    #[allow(clippy::cast_precision_loss, reason = "pixel coordinates")]
    let path: Vec<String> = points
        .iter()
        .map(|(t, n)| {
            let x = left + (WIDTH - left - 10.0) * (t - first.0) as f64 / span;
            let y = (height - bottom) * (1.0 - *n as f64 / top);
            format!("{x:.1},{y:.1}")
        })
        .collect();
    let spanned = duration(last.0.abs_diff(first.0));
    html! {
        <figure class="chart" aria-label={title.to_owned()}>
            <figcaption>{ title.to_owned() }</figcaption>
            <svg viewBox={format!("0 0 {WIDTH} {height}")} role="img"
                aria-label={format!("{title}: {} events over {spanned} of simulated time", last.1)}>
                <line class="axis" x1={left.to_string()} y1="0" x2={left.to_string()} y2={(height - bottom).to_string()} />
                <line class="axis" x1={left.to_string()} y1={(height - bottom).to_string()} x2={WIDTH.to_string()} y2={(height - bottom).to_string()} />
                <text x={(left - 6.0).to_string()} y="12" text-anchor="end">{ last.1.to_string() }</text>
                <text x={(left - 6.0).to_string()} y={(height - bottom).to_string()} text-anchor="end">{ "0" }</text>
                <text x={left.to_string()} y={(height - 6.0).to_string()}>{ instant(first.0) }</text>
                <text x={WIDTH.to_string()} y={(height - 6.0).to_string()} text-anchor="end">{ format!("{} (+{spanned})", instant(last.0)) }</text>
                <polyline class="growth" points={path.join(" ")} />
            </svg>
        </figure>
    }
}
