//! Server-rendered SVG charts for the programme dashboard, served as standalone
//! `image/svg+xml` files shown with `<img>` next to a table of the same numbers.
//!
//! plotters' SVG backend writes text as `<text font-family="sans-serif">` and leaves
//! the glyphs to the viewer, so no font feature (font-kit, system fonts) is needed.
//! Without one, plotters lays text out with a crude width estimate (0.7 em per
//! byte), which only matters for how much room labels are given; the code leaves
//! generous label areas and shortens long queue names. Nothing in the output refers
//! to anything outside the file.
//!
//! Every bar is drawn in data order, so the same input always gives the same bytes.
//!
//! Over ~500 lines only with its unit tests (about 220 lines): the charts are under 300.

use plotters::coord::Shift;
use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

pub const WIDTH: u32 = 640;
pub const HEIGHT: u32 = 280;

/// Bars: 6.7:1 on white (WCAG 1.4.11 asks 3:1 for graphics).
const BAR: RGBColor = RGBColor(0x1D, 0x4E, 0xD8);
/// Text: 14.7:1 on white (1.4.3 asks 4.5:1).
const TEXT: RGBColor = RGBColor(0x1F, 0x29, 0x37);
/// Axes and ticks: 7.6:1.
const AXIS: RGBColor = RGBColor(0x4B, 0x55, 0x63);
/// Value grid lines: decorative, deliberately faint.
const GRID: RGBColor = RGBColor(0xE5, 0xE7, 0xEB);

const FONT: &str = "sans-serif";
const QUEUE_LABEL_CHARS: usize = 24;
/// Enough for about five labels of ten characters along the daily chart's axis.
const MAX_DAY_LABELS: usize = 8;
const BACKLOG_ROW_PX: u32 = 18;
/// Caption, axis labels and margins around the backlog chart's rows.
const BACKLOG_FRAME_PX: u32 = 80;

/// The backlog chart grows taller with many queues so that each keeps a readable
/// row; with up to ten it is [`HEIGHT`].
pub fn backlog_height(queues: usize) -> u32 {
    let rows = u32::try_from(queues).unwrap_or(u32::MAX);
    rows.saturating_mul(BACKLOG_ROW_PX)
        .saturating_add(BACKLOG_FRAME_PX)
        .clamp(HEIGHT, 4000)
}

type DrawResult<T> = Result<T, Box<dyn std::error::Error>>;

/// Enquiries per day as vertical bars, one per entry of `days`, in the order given.
/// Labels (e.g. "2026-11-20") are shown for a spread of days, not all of them.
pub fn daily_svg(days: &[(String, i64)], title: &str) -> String {
    render((WIDTH, HEIGHT), title, |root| draw_daily(root, days, title))
}

/// Open enquiries per queue as horizontal bars, first queue at the top. Queue names
/// (chosen by admins) are escaped, and shortened to 24 characters with "…".
/// The image is [`WIDTH`] × [`backlog_height`]`(queues.len())`.
pub fn backlog_svg(queues: &[(String, i64)], title: &str) -> String {
    let size = (WIDTH, backlog_height(queues.len()));
    render(size, title, |root| draw_backlog(root, queues, title))
}

fn render(
    size: (u32, u32),
    title: &str,
    draw: impl FnOnce(&DrawingArea<SVGBackend<'_>, Shift>) -> DrawResult<()>,
) -> String {
    let mut svg = String::new();
    let drawn = {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        draw(&root).and_then(|()| root.present().map_err(Into::into))
    };
    if let Err(e) = drawn {
        tracing::error!(error = %e, "drawing a dashboard chart failed");
        svg = format!(
            r#"<svg width="{w}" height="{h}" viewBox="0 0 {w} {h}" xmlns="http://www.w3.org/2000/svg">"#,
            w = size.0,
            h = size.1
        );
        svg.push_str("\n</svg>\n");
    }
    with_title(svg, title)
}

/// Names the image for anyone who opens the file itself (an `<img>` has its alt).
fn with_title(mut svg: String, title: &str) -> String {
    if let Some(end) = svg.find('>') {
        svg.insert_str(
            end + 1,
            &format!("\n<title>{}</title>", escape(&clean(title))),
        );
    }
    svg
}

/// XML 1.0 forbids most control characters, even escaped: one in a queue name would
/// make the whole image unreadable.
fn clean(s: &str) -> String {
    s.chars().filter(|c| !c.is_control()).collect()
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

fn shorten(s: &str, max: usize) -> String {
    let s = clean(s);
    if s.chars().count() <= max {
        s
    } else {
        let mut out: String = s.chars().take(max - 1).collect();
        out.push('…');
        out
    }
}

/// Counts are clamped to this: plotters' tick arithmetic overflows near `i64::MAX`.
const MAX_VALUE: i64 = 1_000_000_000_000;

/// A round upper bound for the value axis (1, 2, 3, 4, 5, 6 or 8 times a power of ten), at
/// least 5 so that small counts get whole-number ticks and an empty chart has a
/// scale.
fn axis_max(values: impl Iterator<Item = i64>) -> i64 {
    let max = values.max().unwrap_or(0).clamp(5, MAX_VALUE);
    let mut unit: i64 = 1;
    loop {
        for m in [1, 2, 3, 4, 5, 6, 8] {
            if unit * m >= max {
                return unit * m;
            }
        }
        unit *= 10;
    }
}

fn segment_index(v: &SegmentValue<i32>) -> Option<usize> {
    match v {
        SegmentValue::Exact(i) | SegmentValue::CenterOf(i) => usize::try_from(*i).ok(),
        SegmentValue::Last => None,
    }
}

fn count_label(v: &i64) -> String {
    v.to_string()
}

fn draw_daily(
    root: &DrawingArea<SVGBackend<'_>, Shift>,
    days: &[(String, i64)],
    title: &str,
) -> DrawResult<()> {
    root.fill(&WHITE)?;
    // A segmented `0..last` has `last + 1` segments.
    let last = i32::try_from(days.len().max(1) - 1)?;
    let top = axis_max(days.iter().map(|(_, v)| *v));
    let mut chart = ChartBuilder::on(root)
        .caption(clean(title), (FONT, 20).into_font().color(&TEXT))
        .margin(10)
        .x_label_area_size(28)
        .y_label_area_size(52)
        .build_cartesian_2d((0..last).into_segmented(), 0i64..top)?;

    let labels: Vec<String> = days.iter().map(|(d, _)| clean(d)).collect();
    let x_label = |v: &SegmentValue<i32>| {
        segment_index(v)
            .and_then(|i| labels.get(i).cloned())
            .unwrap_or_default()
    };
    chart
        .configure_mesh()
        .disable_x_mesh()
        .bold_line_style(GRID)
        .light_line_style(TRANSPARENT)
        .axis_style(AXIS)
        .label_style((FONT, 15).into_font().color(&TEXT))
        .x_labels(days.len().clamp(1, MAX_DAY_LABELS))
        .y_labels(6)
        .x_label_formatter(&x_label)
        .y_label_formatter(&count_label)
        .draw()?;

    let plot_px = chart.plotting_area().dim_in_pixel().0;
    let gap = bar_gap(plot_px, days.len());
    chart.draw_series(days.iter().enumerate().map(
        |(i, (_, v))| -> Rectangle<(SegmentValue<i32>, i64)> {
            let i = i32::try_from(i).unwrap_or(i32::MAX);
            let mut bar = Rectangle::new(
                [
                    (SegmentValue::Exact(i), 0),
                    (SegmentValue::Exact(i + 1), (*v).clamp(0, top)),
                ],
                BAR.filled(),
            );
            bar.set_margin(0, 0, gap, gap);
            bar
        },
    ))?;
    Ok(())
}

fn draw_backlog(
    root: &DrawingArea<SVGBackend<'_>, Shift>,
    queues: &[(String, i64)],
    title: &str,
) -> DrawResult<()> {
    root.fill(&WHITE)?;
    let last = i32::try_from(queues.len().max(1) - 1)?;
    let top = axis_max(queues.iter().map(|(_, v)| *v));
    let mut chart = ChartBuilder::on(root)
        .caption(clean(title), (FONT, 20).into_font().color(&TEXT))
        .margin(10)
        .x_label_area_size(28)
        .y_label_area_size(180)
        .build_cartesian_2d(0i64..top, (0..last).into_segmented())?;

    // Row 0 is drawn at the bottom; the first queue should be at the top.
    let count = queues.len();
    let labels: Vec<String> = queues
        .iter()
        .map(|(q, _)| shorten(q, QUEUE_LABEL_CHARS))
        .collect();
    chart
        .configure_mesh()
        .disable_y_mesh()
        .bold_line_style(GRID)
        .light_line_style(TRANSPARENT)
        .axis_style(AXIS)
        .label_style((FONT, 15).into_font().color(&TEXT))
        .x_labels(6)
        // Zero would overflow plotters' tick arithmetic; the one label is left blank.
        .y_labels(1)
        .x_label_formatter(&count_label)
        .y_label_formatter(&|_| String::new())
        .draw()?;

    // plotters omits the label of a one-segment axis, so queue names are placed here.
    let name_style = (FONT, 15)
        .into_font()
        .color(&TEXT)
        .pos(Pos::new(HPos::Right, VPos::Center));
    for (i, label) in labels.into_iter().enumerate() {
        let row = i32::try_from(count - 1 - i)?;
        let (x, y) = chart.backend_coord(&(0, SegmentValue::CenterOf(row)));
        root.draw(&Text::new(label, (x - 8, y), name_style.clone()))?;
    }

    let plot_px = chart.plotting_area().dim_in_pixel().1;
    let gap = bar_gap(plot_px, count);
    chart.draw_series(queues.iter().enumerate().map(
        |(i, (_, v))| -> Rectangle<(i64, SegmentValue<i32>)> {
            let row = i32::try_from(count - 1 - i).unwrap_or(0);
            let mut bar = Rectangle::new(
                [
                    (0, SegmentValue::Exact(row)),
                    ((*v).clamp(0, top), SegmentValue::Exact(row + 1)),
                ],
                BAR.filled(),
            );
            bar.set_margin(gap, gap, 0, 0);
            bar
        },
    ))?;
    Ok(())
}

/// Space on each side of a bar: a fifth of its slot, at least one pixel.
fn bar_gap(plot_px: u32, bars: usize) -> u32 {
    let slot = plot_px / u32::try_from(bars.max(1)).unwrap_or(u32::MAX);
    (slot / 5).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn days(n: usize) -> Vec<(String, i64)> {
        (0..n)
            .map(|i| {
                (
                    format!("2026-{:02}-{:02}", 10 + i / 30, 1 + i % 30),
                    (i as i64 * 7) % 23 + 1,
                )
            })
            .collect()
    }

    fn queues(n: usize) -> Vec<(String, i64)> {
        (0..n)
            .map(|i| (format!("Queue {i}"), (i as i64 * 5) % 17 + 1))
            .collect()
    }

    fn bars(svg: &str) -> usize {
        svg.matches(r##"fill="#1D4ED8""##).count()
    }

    /// A small well-formedness check: every tag closes in order, attributes are
    /// quoted, and no raw `<` or `&` appears outside markup and entities.
    fn assert_well_formed(svg: &str) {
        assert!(svg.starts_with("<svg "), "{svg}");
        assert!(svg.contains(r#"xmlns="http://www.w3.org/2000/svg""#));
        let mut stack: Vec<String> = Vec::new();
        let mut rest = svg;
        while let Some(lt) = rest.find('<') {
            check_text(&rest[..lt]);
            let gt = rest[lt..].find('>').expect("unclosed tag") + lt;
            let tag = &rest[lt + 1..gt];
            assert!(!tag.contains('<'), "{tag}");
            assert_eq!(tag.matches('"').count() % 2, 0, "{tag}");
            if let Some(name) = tag.strip_prefix('/') {
                assert_eq!(stack.pop().as_deref(), Some(name.trim()), "{svg}");
            } else if !tag.ends_with('/') {
                stack.push(tag.split_whitespace().next().unwrap().to_owned());
            }
            for value in tag.split('"').skip(1).step_by(2) {
                check_text(value);
            }
            rest = &rest[gt + 1..];
        }
        check_text(rest);
        assert!(stack.is_empty(), "unclosed: {stack:?}");
    }

    fn check_text(text: &str) {
        assert!(!text.contains('>') || text.trim().is_empty() || !text.contains('<'));
        for (i, _) in text.match_indices('&') {
            let entity = &text[i..text[i..].find(';').map_or(text.len(), |e| i + e + 1)];
            assert!(
                ["&lt;", "&gt;", "&amp;", "&quot;", "&apos;"].contains(&entity),
                "bad entity in {text:?}"
            );
        }
        assert!(
            !text.chars().any(|c| c.is_control() && c != '\n'),
            "{text:?}"
        );
    }

    #[test]
    fn daily_is_standalone_svg_with_one_bar_per_day() {
        for n in [1, 7, 30, 60] {
            let d = days(n);
            let svg = daily_svg(&d, "Enquiries per day");
            assert_well_formed(&svg);
            assert_eq!(bars(&svg), n, "n={n}");
            assert!(svg.contains(r#"width="640" height="280""#));
            assert!(svg.contains("<title>Enquiries per day</title>"));
            assert!(svg.contains("Enquiries per day\n</text>"));
            assert!(svg.contains(&d[0].0), "first day labelled");
        }
    }

    #[test]
    fn backlog_has_one_bar_per_queue_and_grows_for_many() {
        for n in [1, 5, 10, 30] {
            let svg = backlog_svg(&queues(n), "Open enquiries");
            assert_well_formed(&svg);
            assert_eq!(bars(&svg), n, "n={n}");
            for (q, _) in queues(n) {
                assert!(svg.contains(&format!("{q}\n</text>")), "{q} labelled");
            }
        }
        assert_eq!(backlog_height(0), HEIGHT);
        assert_eq!(backlog_height(10), HEIGHT);
        assert!(backlog_height(30) >= 30 * BACKLOG_ROW_PX);
        let svg = backlog_svg(&queues(30), "Open enquiries");
        assert!(svg.contains(&format!(r#"width="640" height="{}""#, backlog_height(30))));
    }

    #[test]
    fn first_queue_is_drawn_at_the_top() {
        let q = vec![("Alpha".to_owned(), 3), ("Beta".to_owned(), 4)];
        let svg = backlog_svg(&q, "Open");
        let y_of = |name: &str| {
            let end = svg.find(&format!(">\n{name}\n</text>")).unwrap();
            let start = svg[..end].rfind("<text").unwrap();
            let y = svg[start..end].split(r#" y=""#).nth(1).unwrap();
            y[..y.find('"').unwrap()].parse::<i32>().unwrap()
        };
        assert!(y_of("Alpha") < y_of("Beta"));
    }

    #[test]
    fn empty_data_draws_empty_axes() {
        for svg in [
            daily_svg(&[], "Enquiries per day"),
            backlog_svg(&[], "Open enquiries"),
        ] {
            assert_well_formed(&svg);
            assert_eq!(bars(&svg), 0);
            assert!(
                svg.contains("<line") || svg.contains("<polyline"),
                "axes drawn"
            );
            assert!(svg.contains(">\n5\n</text>"), "value scale drawn: {svg}");
        }
    }

    #[test]
    fn labels_and_titles_are_escaped() {
        let hostile = r#"<script>alert("x")</script> & 'co'"#;
        let q = vec![(hostile.to_owned(), 2), ("a\u{0}b\u{1b}c\nd".to_owned(), 1)];
        let svg = backlog_svg(&q, hostile);
        assert_well_formed(&svg);
        assert!(!svg.contains("<script"));
        assert!(
            svg.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &apos;co&apos;")
        );
        // Control characters are dropped; the name is otherwise kept.
        assert!(svg.contains(">\nabcd\n</text>"));
        let d = vec![(r#"2026-11-20"><a href="x">"#.to_owned(), 1)];
        let svg = daily_svg(&d, "t");
        assert_well_formed(&svg);
        assert!(!svg.contains("<a "));
    }

    #[test]
    fn long_queue_names_are_shortened() {
        let name = "A queue with a remarkably long descriptive name";
        let svg = backlog_svg(&[(name.to_owned(), 1)], "Open");
        assert!(!svg.contains(name));
        assert!(
            svg.contains(">\nA queue with a remarkab…\n</text>"),
            "{svg}"
        );
    }

    #[test]
    fn no_external_references() {
        for svg in [
            daily_svg(&days(60), "Days"),
            backlog_svg(&queues(30), "Queues"),
        ] {
            for needle in [
                "href", "url(", "@import", "<image", "<style", "style=", "http://", "https://",
            ] {
                let hits = svg.matches(needle).count();
                let allowed = usize::from(needle == "http://"); // the xmlns
                assert_eq!(hits, allowed, "{needle}");
            }
        }
    }

    #[test]
    fn output_is_deterministic() {
        let d = days(45);
        assert_eq!(daily_svg(&d, "Days"), daily_svg(&d, "Days"));
        let q = queues(20);
        assert_eq!(backlog_svg(&q, "Q"), backlog_svg(&q, "Q"));
    }

    #[test]
    fn odd_values_do_not_break_it() {
        let d = vec![
            ("a".to_owned(), -5),
            ("b".to_owned(), 0),
            ("c".to_owned(), i64::MAX),
        ];
        let svg = daily_svg(&d, "");
        assert_well_formed(&svg);
        let svg = backlog_svg(&d, "");
        assert_well_formed(&svg);
        assert_eq!(axis_max([0].into_iter()), 5);
        assert_eq!(axis_max([6].into_iter()), 6);
        assert_eq!(axis_max([7].into_iter()), 8);
        assert_eq!(axis_max([37].into_iter()), 40);
        assert_eq!(axis_max([200].into_iter()), 200);
        assert_eq!(axis_max([201].into_iter()), 300);
        assert_eq!(axis_max([601].into_iter()), 800);
        assert_eq!(axis_max([801].into_iter()), 1000);
        assert_eq!(axis_max([i64::MAX].into_iter()), MAX_VALUE);
        assert_eq!(axis_max([i64::MIN].into_iter()), 5);
    }

    #[test]
    fn colours_meet_wcag_contrast_on_white() {
        fn luminance(c: RGBColor) -> f64 {
            let f = |v: u8| {
                let v = f64::from(v) / 255.0;
                if v <= 0.03928 {
                    v / 12.92
                } else {
                    ((v + 0.055) / 1.055).powf(2.4)
                }
            };
            0.2126 * f(c.0) + 0.7152 * f(c.1) + 0.0722 * f(c.2)
        }
        let contrast = |c| 1.05 / (luminance(c) + 0.05);
        assert!(contrast(TEXT) >= 4.5, "{}", contrast(TEXT));
        assert!(contrast(AXIS) >= 4.5, "{}", contrast(AXIS));
        assert!(contrast(BAR) >= 4.5, "{}", contrast(BAR));
    }
}
