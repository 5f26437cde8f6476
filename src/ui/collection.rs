//! The collection binder and the shop: every item by category, owned ones in their art and
//! locked ones as silhouettes with the hint of their rule; progress per category; a detail
//! view to wear an item; and buying with fan points after a confirmation.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};
use egui::{Color32, RichText, Sense, vec2};

use super::merch_art::{draw_item, item_colour};
use super::{ScreenUi, colors, root_ui};
use crate::core::merch::{Category, Item, Rarity};
use crate::fans::{Fans, MerchCatalog};
use crate::notice::Notices;
use crate::screens::Screen;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<BinderView>().add_systems(
        EguiPrimaryContextPass,
        collection_ui
            .in_set(ScreenUi)
            .run_if(in_state(Screen::Collection)),
    );
}

/// What the binder shows: a category's page or the shop, the item open in the detail view,
/// and a purchase waiting for its confirmation.
#[derive(Resource, Debug, Clone)]
pub struct BinderView {
    pub page: Page,
    pub selected: Option<String>,
    pub confirm_buy: Option<String>,
    /// Pockets per row as last drawn, for moving up and down with the keys.
    pub columns: usize,
}

impl Page {
    /// Every page in order: the categories, then the shop.
    fn all() -> Vec<Page> {
        Category::ALL
            .into_iter()
            .map(Page::Category)
            .chain([Page::Shop])
            .collect()
    }
}

/// The items a page shows, in order.
fn page_items(catalog: &MerchCatalog, page: Page) -> Vec<Item> {
    match page {
        Page::Category(category) => catalog
            .items
            .iter()
            .filter(|i| i.category == category)
            .cloned()
            .collect(),
        Page::Shop => {
            let mut sold: Vec<Item> = catalog
                .items
                .iter()
                .filter(|i| i.price.is_some())
                .cloned()
                .collect();
            sold.sort_by_key(|i| i.price);
            sold
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Category(Category),
    Shop,
}

impl Default for BinderView {
    fn default() -> Self {
        Self {
            page: Page::Category(Category::Lightstick),
            selected: None,
            confirm_buy: None,
            columns: 4,
        }
    }
}

pub fn rarity_label(rarity: Rarity) -> (String, Color32) {
    match rarity {
        Rarity::Common => (t!("rarity-common"), colors::DIM),
        Rarity::Rare => (t!("rarity-rare"), colors::ACCENT_2),
        Rarity::SuperRare => (t!("rarity-super-rare"), Color32::from_rgb(255, 209, 102)),
        Rarity::Ultra => (t!("rarity-ultra"), colors::ACCENT),
    }
}

fn collection_ui(
    mut contexts: EguiContexts,
    mut view: ResMut<BinderView>,
    fans: Option<ResMut<Fans>>,
    catalog: Option<Res<MerchCatalog>>,
    mut notices: ResMut<Notices>,
    mut next: ResMut<NextState<Screen>>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let (Some(mut fans), Some(catalog)) = (fans, catalog) else {
        next.set(Screen::Title);
        return Ok(());
    };
    if binder_ui(ctx, &mut view, &mut fans, &catalog, &mut notices) == Leave::Yes {
        next.set(Screen::Title);
    }
    Ok(())
}

/// Whether the player asked to leave the binder.
#[derive(Debug, PartialEq, Eq)]
enum Leave {
    Yes,
    No,
}

/// The whole binder for one frame: the keys, the page, and a purchase's confirmation.
fn binder_ui(
    ctx: &egui::Context,
    view: &mut BinderView,
    fans: &mut Fans,
    catalog: &MerchCatalog,
    notices: &mut Notices,
) -> Leave {
    // Enter confirms a purchase only if the question was already on screen.
    let confirm_with_enter =
        view.confirm_buy.is_some() && ctx.input(|i| i.key_pressed(egui::Key::Enter));
    let mut leave = binder_keys(ctx, view, fans, catalog, notices);
    let mut root = root_ui(ctx, "collection");
    egui::CentralPanel::default().show(&mut root, |ui| {
        if binder_header(ui, fans, catalog) == Leave::Yes {
            leave = Leave::Yes;
        }
        ui.add_space(6.0);
        ui.horizontal_top(|ui| {
            binder_tabs(ui, view, fans, catalog);
            ui.separator();
            binder_page(ui, view, fans, catalog, notices);
        });
    });
    if let Some(id) = buy_confirmation(ctx, view, fans, catalog, confirm_with_enter) {
        view.confirm_buy = None;
        match fans.buy(catalog, &id) {
            Ok(name) => notices.push(t!("collection-bought", item = name)),
            Err(why) => notices.push(why),
        }
    }
    leave
}

/// Keys: arrows move through the pockets, Tab turns the page, Enter wears, takes off or buys
/// (and confirms a purchase), Esc closes what is open, then leaves.
fn binder_keys(
    ctx: &egui::Context,
    view: &mut BinderView,
    fans: &mut Fans,
    catalog: &MerchCatalog,
    notices: &mut Notices,
) -> Leave {
    let (step, turn, enter) = ctx.input(|i| {
        let step: i32 = if i.key_pressed(egui::Key::ArrowRight) {
            1
        } else if i.key_pressed(egui::Key::ArrowLeft) {
            -1
        } else if i.key_pressed(egui::Key::ArrowDown) {
            view.columns as i32
        } else if i.key_pressed(egui::Key::ArrowUp) {
            -(view.columns as i32)
        } else {
            0
        };
        let turn: i32 = if i.key_pressed(egui::Key::Tab) {
            if i.modifiers.shift { -1 } else { 1 }
        } else {
            0
        };
        (step, turn, i.key_pressed(egui::Key::Enter))
    });
    if view.confirm_buy.is_none() {
        if turn != 0 {
            let pages = Page::all();
            let at = pages.iter().position(|p| *p == view.page).unwrap_or(0) as i32;
            view.page = pages[(at + turn).rem_euclid(pages.len() as i32) as usize];
            view.selected = None;
        }
        let items = page_items(catalog, view.page);
        if step != 0 && !items.is_empty() {
            let at = view
                .selected
                .as_ref()
                .and_then(|id| items.iter().position(|i| &i.id == id));
            let to = match at {
                None => 0,
                Some(at) => (at as i32 + step).clamp(0, items.len() as i32 - 1) as usize,
            };
            view.selected = Some(items[to].id.clone());
        }
        if enter
            && let Some(item) = view
                .selected
                .as_ref()
                .and_then(|id| catalog.item(id))
                .cloned()
        {
            if fans.profile.owns(&item.id) && item.category.slot().is_some() {
                toggle_worn(fans, catalog, &item, notices);
            } else if !fans.profile.owns(&item.id) && item.price.is_some() {
                view.confirm_buy = Some(item.id.clone());
            }
        }
    }
    if ctx.input(|i| i.key_pressed(egui::Key::Escape)) {
        if view.confirm_buy.is_some() {
            view.confirm_buy = None;
        } else if view.selected.is_some() {
            view.selected = None;
        } else {
            return Leave::Yes;
        }
    }
    Leave::No
}

/// The top line: back, whose binder it is, how much of it is collected, and the fan points.
fn binder_header(ui: &mut egui::Ui, fans: &Fans, catalog: &MerchCatalog) -> Leave {
    let mut leave = Leave::No;
    ui.horizontal(|ui| {
        if ui.button(t!("common-back")).clicked() {
            leave = Leave::Yes;
        }
        ui.heading(t!("collection-heading", name = fans.profile.name.clone()));
        ui.add_space(20.0);
        let owned = catalog
            .items
            .iter()
            .filter(|i| fans.profile.owns(&i.id))
            .count();
        ui.colored_label(
            colors::DIM,
            t!(
                "collection-owned-count",
                owned = owned,
                total = catalog.items.len()
            ),
        );
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            ui.label(
                RichText::new(t!(
                    "collection-fan-points",
                    points = fans.profile.progress.fan_points
                ))
                .size(22.0)
                .color(colors::ACCENT),
            );
        });
    });
    leave
}

/// The binder's tabs: a category each, with its progress, then the shop, then what is worn.
fn binder_tabs(ui: &mut egui::Ui, view: &mut BinderView, fans: &Fans, catalog: &MerchCatalog) {
    ui.vertical(|ui| {
        ui.set_width(220.0);
        for category in Category::ALL {
            let items: Vec<&Item> = catalog
                .items
                .iter()
                .filter(|i| i.category == category)
                .collect();
            let owned = items.iter().filter(|i| fans.profile.owns(&i.id)).count();
            let chosen = view.page == Page::Category(category);
            let label = format!(
                "{}   {owned}/{}",
                super::phrases::category(category),
                items.len()
            );
            if ui
                .selectable_label(chosen, RichText::new(label).size(18.0))
                .clicked()
            {
                view.page = Page::Category(category);
                view.selected = None;
            }
            let fraction = if items.is_empty() {
                0.0
            } else {
                owned as f32 / items.len() as f32
            };
            progress_line(ui, fraction);
        }
        ui.add_space(10.0);
        if ui
            .selectable_label(
                view.page == Page::Shop,
                RichText::new(t!("collection-shop")).size(20.0),
            )
            .clicked()
        {
            view.page = Page::Shop;
            view.selected = None;
        }
        ui.add_space(16.0);
        ui.colored_label(colors::DIM, t!("collection-worn-now"));
        for category in Category::ALL {
            if category.slot().is_none() {
                continue;
            }
            let worn = fans
                .equipped(catalog, category)
                .map_or(t!("collection-default"), |i| i.name.clone());
            ui.colored_label(
                colors::DIM,
                format!("{}: {worn}", super::phrases::category(category)),
            );
        }
    });
}

/// A category's progress: a thin track, filled as far as the player has collected.
fn progress_line(ui: &mut egui::Ui, fraction: f32) {
    let (rect, _) = ui.allocate_exact_size(vec2(ui.available_width(), 5.0), Sense::hover());
    let painter = ui.painter();
    painter.rect_filled(rect, 2.5, colors::PANEL);
    if fraction > 0.0 {
        let filled = egui::Rect::from_min_size(
            rect.min,
            vec2(rect.width() * fraction.min(1.0), rect.height()),
        );
        painter.rect_filled(filled, 2.5, colors::ACCENT);
    }
}

/// The width of the detail view beside the pockets.
const DETAIL_WIDTH: f32 = 320.0;

/// The open page's pockets, and the detail view of the chosen item beside them.
fn binder_page(
    ui: &mut egui::Ui,
    view: &mut BinderView,
    fans: &mut Fans,
    catalog: &MerchCatalog,
    notices: &mut Notices,
) {
    // The item chosen before this frame has its detail view; one clicked now opens it from the
    // next frame, when the pockets have made room for it.
    let open = view.selected.clone();
    // With the detail open, the pockets also leave room for the line between them.
    let detail_width = if open.is_some() {
        DETAIL_WIDTH + 16.0
    } else {
        0.0
    };
    let grid_width = (ui.available_width() - detail_width).max(300.0);
    ui.vertical(|ui| {
        ui.set_width(grid_width);
        pockets_ui(ui, view, fans, catalog, grid_width);
    });
    if let Some(id) = open
        && let Some(item) = catalog.item(&id).cloned()
    {
        ui.separator();
        ui.vertical(|ui| {
            ui.set_width(DETAIL_WIDTH - 20.0);
            detail_ui(ui, &item, fans, catalog, view, notices);
        });
    }
}

/// The page's title and its pockets in rows, scrolling; a click chooses an item.
fn pockets_ui(
    ui: &mut egui::Ui,
    view: &mut BinderView,
    fans: &Fans,
    catalog: &MerchCatalog,
    width: f32,
) {
    let items = page_items(catalog, view.page);
    let title = match view.page {
        Page::Category(category) => super::phrases::category(category),
        Page::Shop => t!("collection-shop-heading"),
    };
    ui.label(RichText::new(title).size(24.0).strong());
    egui::ScrollArea::vertical().show(ui, |ui| {
        let per_row = ((width / 170.0) as usize).max(1);
        view.columns = per_row;
        let pocket = vec2(width / per_row as f32 - 12.0, 250.0);
        for row in items.chunks(per_row) {
            ui.horizontal_top(|ui| {
                for item in row {
                    let owned = fans.profile.owns(&item.id);
                    let chosen = view.selected.as_deref() == Some(&item.id);
                    if pocket_ui(
                        ui,
                        item,
                        owned,
                        chosen,
                        pocket,
                        view.page == Page::Shop,
                        &super::phrases::how_to_get(catalog, item),
                    )
                    .clicked()
                    {
                        view.selected = Some(item.id.clone());
                    }
                }
            });
            ui.add_space(8.0);
        }
    });
}

/// The question before a purchase; the item to buy once the player says yes.
fn buy_confirmation(
    ctx: &egui::Context,
    view: &mut BinderView,
    fans: &Fans,
    catalog: &MerchCatalog,
    confirm_with_enter: bool,
) -> Option<String> {
    let id = view.confirm_buy.clone()?;
    let item = catalog.item(&id)?;
    let price = item.price.unwrap_or(0);
    let balance = fans.profile.progress.fan_points;
    let mut buy = None;
    egui::Window::new(t!("collection-buy-heading"))
        .collapsible(false)
        .resizable(false)
        .anchor(egui::Align2::CENTER_CENTER, vec2(0.0, 0.0))
        .show(ctx, |ui| {
            ui.label(
                RichText::new(t!(
                    "collection-buy-question",
                    item = item.name.clone(),
                    price = price
                ))
                .size(20.0),
            );
            ui.colored_label(
                colors::DIM,
                t!(
                    "collection-balance",
                    have = balance,
                    left = balance.saturating_sub(price)
                ),
            );
            ui.horizontal(|ui| {
                if ui
                    .button(
                        RichText::new(t!("collection-buy"))
                            .size(20.0)
                            .color(colors::GOOD),
                    )
                    .clicked()
                    || confirm_with_enter
                {
                    buy = Some(id.clone());
                }
                if ui
                    .button(RichText::new(t!("common-cancel-esc")).size(20.0))
                    .clicked()
                {
                    view.confirm_buy = None;
                }
            });
        });
    buy
}

/// One pocket of the binder: the art (or silhouette), the name, the rarity, and the hint or
/// the price.
fn pocket_ui(
    ui: &mut egui::Ui,
    item: &Item,
    owned: bool,
    chosen: bool,
    size: egui::Vec2,
    shop: bool,
    hint: &str,
) -> egui::Response {
    let (rect, response) = ui.allocate_exact_size(size, Sense::click());
    let painter = ui.painter_at(rect);
    let edge = if chosen {
        colors::ACCENT
    } else if response.hovered() {
        colors::ACCENT_2.gamma_multiply(0.6)
    } else {
        Color32::from_rgb(52, 44, 84)
    };
    painter.rect(
        rect,
        8.0,
        colors::PANEL,
        egui::Stroke::new(2.0, edge),
        egui::StrokeKind::Inside,
    );
    let art = egui::Rect::from_min_size(rect.min + vec2(10.0, 8.0), vec2(size.x - 20.0, 140.0));
    painter.rect_filled(art, 6.0, Color32::from_rgb(20, 15, 38));
    draw_item(&painter, art.shrink(6.0), item, owned || shop);
    let mut y = art.bottom() + 6.0;
    let text = |y: &mut f32, words: String, size: f32, colour: Color32| {
        let galley = painter.layout(
            words,
            egui::FontId::proportional(size),
            colour,
            rect.width() - 16.0,
        );
        let height = galley.size().y;
        painter.galley(egui::pos2(rect.left() + 8.0, *y), galley, colour);
        *y += height + 2.0;
    };
    let (rarity, rarity_colour) = rarity_label(item.rarity);
    if owned || shop {
        text(&mut y, item.name.clone(), 15.0, colors::TEXT);
    } else {
        text(&mut y, "???".into(), 15.0, colors::DIM);
    }
    text(&mut y, rarity, 12.0, rarity_colour);
    if owned {
        text(&mut y, t!("collection-collected"), 12.0, colors::GOOD);
    } else if shop {
        text(
            &mut y,
            format!("♥ {}", item.price.unwrap_or(0)),
            14.0,
            colors::ACCENT,
        );
    } else {
        text(&mut y, hint.to_string(), 11.0, colors::DIM);
    }
    response
}

fn detail_ui(
    ui: &mut egui::Ui,
    item: &Item,
    fans: &mut Fans,
    catalog: &MerchCatalog,
    view: &mut BinderView,
    notices: &mut Notices,
) {
    let owned = fans.profile.owns(&item.id);
    let (rect, _) = ui.allocate_exact_size(vec2(ui.available_width(), 260.0), Sense::hover());
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 10.0, Color32::from_rgb(20, 15, 38));
    if owned {
        painter.circle_filled(rect.center(), 110.0, item_colour(item).gamma_multiply(0.12));
    }
    // In the shop you see what you would buy.
    let shown = owned || (view.page == Page::Shop && item.price.is_some());
    draw_item(&painter, rect.shrink(16.0), item, shown);
    let (rarity, rarity_colour) = rarity_label(item.rarity);
    ui.label(
        RichText::new(if owned {
            item.name.clone()
        } else {
            t!("collection-not-collected")
        })
        .size(22.0)
        .strong(),
    );
    ui.horizontal(|ui| {
        ui.colored_label(rarity_colour, rarity);
        ui.colored_label(colors::DIM, super::phrases::category(item.category));
        if !item.member.is_empty() {
            ui.colored_label(
                colors::DIM,
                t!("collection-member", member = item.member.clone()),
            );
        }
    });
    ui.add_space(6.0);
    if !owned {
        ui.label(RichText::new(t!("collection-how-to-get")).strong());
        ui.label(super::phrases::how_to_get(catalog, item));
    }
    if let Some(price) = item.price
        && !owned
    {
        let balance = fans.profile.progress.fan_points;
        let affordable = balance >= price;
        let button =
            egui::Button::new(RichText::new(t!("collection-buy-for", price = price)).size(20.0));
        if ui.add_enabled(affordable, button).clicked() {
            view.confirm_buy = Some(item.id.clone());
        }
        if !affordable {
            ui.colored_label(
                colors::DIM,
                t!("collection-need-more", points = price - balance),
            );
        }
    }
    if owned && item.category.slot().is_some() {
        let worn = fans.profile.equipped_id(item.category) == Some(item.id.as_str());
        ui.add_space(6.0);
        let label = if worn {
            t!("collection-take-off")
        } else {
            t!("collection-wear")
        };
        if ui.button(RichText::new(label).size(20.0)).clicked() {
            toggle_worn(fans, catalog, item, notices);
        }
        ui.colored_label(colors::DIM, wear_effect(item.category));
    } else if owned {
        ui.colored_label(colors::GOOD, t!("collection-owned"));
    }
}

/// Wears an owned item, or takes it off if it is worn, and says which.
fn toggle_worn(fans: &mut Fans, catalog: &MerchCatalog, item: &Item, notices: &mut Notices) {
    let wear = fans.profile.equipped_id(item.category) != Some(item.id.as_str());
    match fans.equip(catalog, &item.id, wear) {
        Ok(()) if wear => notices.push(t!("collection-now-wearing", item = item.name.clone())),
        Ok(()) => notices.push(t!("collection-took-off", item = item.name.clone())),
        Err(why) => notices.push(why),
    }
}

fn wear_effect(category: Category) -> String {
    match category {
        Category::Lightstick => t!("wear-lightstick"),
        Category::Outfit => t!("wear-outfit"),
        Category::NoteSkin => t!("wear-note-skin"),
        Category::Poster => t!("wear-poster"),
        Category::Photocard => t!("wear-photocard"),
        Category::Album | Category::Banner => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::profile::Profile;

    fn binder() -> (Fans, MerchCatalog, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let fans = Fans {
            path: dir.path().join("profile.ron"),
            profile: Profile::default(),
        };
        let (catalog, _, messages) = crate::fans::load_catalog_and_tours(dir.path(), &[]);
        assert!(!catalog.items.is_empty(), "{messages:?}");
        (fans, catalog, dir)
    }

    /// One frame of the binder at 1280×720, with `events` as its input.
    fn frame(
        ctx: &egui::Context,
        view: &mut BinderView,
        fans: &mut Fans,
        catalog: &MerchCatalog,
        events: Vec<egui::Event>,
    ) -> Leave {
        let input = egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(
                egui::Pos2::ZERO,
                vec2(1280.0, 720.0),
            )),
            events,
            ..Default::default()
        };
        let mut leave = Leave::No;
        let mut output = ctx.run_ui(input, |ui| {
            leave = binder_ui(ui.ctx(), view, fans, catalog, &mut Notices::default());
        });
        // Nothing draws here: the font atlas's uploads are dropped on purpose.
        output.textures_delta.clear();
        leave
    }

    fn press(pos: egui::Pos2, pressed: bool) -> egui::Event {
        egui::Event::PointerButton {
            pos,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: egui::Modifiers::NONE,
        }
    }

    /// Clicking a pocket opens its detail view beside the pockets, from the next frame on.
    #[test]
    fn clicking_a_pocket_opens_its_detail() {
        let (mut fans, catalog, _dir) = binder();
        let ctx = egui::Context::default();
        let mut view = BinderView::default();
        let first = egui::pos2(350.0, 200.0);
        frame(&ctx, &mut view, &mut fans, &catalog, vec![]);
        frame(
            &ctx,
            &mut view,
            &mut fans,
            &catalog,
            vec![egui::Event::PointerMoved(first), press(first, true)],
        );
        frame(
            &ctx,
            &mut view,
            &mut fans,
            &catalog,
            vec![press(first, false)],
        );
        let chosen = view.selected.clone().expect("the click chose an item");
        assert_eq!(chosen, page_items(&catalog, view.page)[0].id);
        for _ in 0..2 {
            frame(&ctx, &mut view, &mut fans, &catalog, vec![]);
        }
        assert_eq!(view.selected, Some(chosen));
    }

    /// Esc closes the detail view first, and leaves the binder only when nothing is open.
    #[test]
    fn escape_closes_the_detail_then_leaves() {
        let (mut fans, catalog, _dir) = binder();
        let ctx = egui::Context::default();
        let mut view = BinderView::default();
        let escape = || egui::Event::Key {
            key: egui::Key::Escape,
            physical_key: None,
            pressed: true,
            repeat: false,
            modifiers: egui::Modifiers::NONE,
        };
        let right = egui::Event::Key {
            key: egui::Key::ArrowRight,
            physical_key: None,
            pressed: true,
            repeat: false,
            modifiers: egui::Modifiers::NONE,
        };
        frame(&ctx, &mut view, &mut fans, &catalog, vec![right]);
        assert!(view.selected.is_some());
        frame(&ctx, &mut view, &mut fans, &catalog, vec![]);
        assert_eq!(
            frame(&ctx, &mut view, &mut fans, &catalog, vec![escape()]),
            Leave::No
        );
        assert!(view.selected.is_none());
        assert_eq!(
            frame(&ctx, &mut view, &mut fans, &catalog, vec![escape()]),
            Leave::Yes
        );
    }
}
