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
    // Keys: arrows move through the pockets, Tab turns the page, Enter wears, takes off or
    // buys (and confirms a purchase), Esc closes what is open, then leaves.
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
    // Enter confirms a purchase only if the question was already on screen.
    let confirm_with_enter = enter && view.confirm_buy.is_some();
    if view.confirm_buy.is_none() {
        if turn != 0 {
            let pages = Page::all();
            let at = pages.iter().position(|p| *p == view.page).unwrap_or(0) as i32;
            view.page = pages[(at + turn).rem_euclid(pages.len() as i32) as usize];
            view.selected = None;
        }
        let items = page_items(&catalog, view.page);
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
                toggle_worn(&mut fans, &catalog, &item, &mut notices);
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
            next.set(Screen::Title);
        }
    }
    let mut root = root_ui(ctx, "collection");
    let mut buy_now = None;
    egui::CentralPanel::default().show(&mut root, |ui| {
        ui.horizontal(|ui| {
            if ui.button(t!("common-back")).clicked() {
                next.set(Screen::Title);
            }
            ui.heading(format!("{}'s collection", fans.profile.name));
            ui.add_space(20.0);
            let owned = catalog
                .items
                .iter()
                .filter(|i| fans.profile.owns(&i.id))
                .count();
            ui.colored_label(
                colors::DIM,
                format!("{owned} of {} items", catalog.items.len()),
            );
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                ui.label(
                    RichText::new(format!("♥ {} fan points", fans.profile.progress.fan_points))
                        .size(22.0)
                        .color(colors::ACCENT),
                );
            });
        });
        ui.add_space(6.0);
        ui.horizontal_top(|ui| {
            // The binder's tabs: a category each, with its progress, then the shop.
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
                    let label = format!("{}   {owned}/{}", category.name(), items.len());
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
                    ui.add(
                        egui::ProgressBar::new(fraction)
                            .desired_height(5.0)
                            .fill(colors::ACCENT),
                    );
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
                        .equipped(&catalog, category)
                        .map_or(t!("collection-default"), |i| i.name.clone());
                    ui.colored_label(
                        colors::DIM,
                        format!("{}: {worn}", super::phrases::category(category)),
                    );
                }
            });
            ui.separator();
            let detail_width = if view.selected.is_some() { 320.0 } else { 0.0 };
            let grid_width = (ui.available_width() - detail_width).max(300.0);
            ui.vertical(|ui| {
                ui.set_width(grid_width);
                let items = page_items(&catalog, view.page);
                let title = match view.page {
                    Page::Category(category) => super::phrases::category(category),
                    Page::Shop => t!("collection-shop-heading"),
                };
                ui.label(RichText::new(title).size(24.0).strong());
                egui::ScrollArea::vertical().show(ui, |ui| {
                    let per_row = ((grid_width / 170.0) as usize).max(1);
                    view.columns = per_row;
                    let pocket = vec2(grid_width / per_row as f32 - 12.0, 250.0);
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
                                    &catalog.how_to_get(item),
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
            });
            if let Some(id) = view.selected.clone()
                && let Some(item) = catalog.item(&id).cloned()
            {
                ui.separator();
                ui.vertical(|ui| {
                    ui.set_width(detail_width - 20.0);
                    detail_ui(ui, &item, &mut fans, &catalog, &mut view, &mut notices);
                });
            }
        });
    });
    if let Some(id) = view.confirm_buy.clone()
        && let Some(item) = catalog.item(&id).cloned()
    {
        let price = item.price.unwrap_or(0);
        let balance = fans.profile.progress.fan_points;
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
                        buy_now = Some(id.clone());
                    }
                    if ui
                        .button(RichText::new(t!("common-cancel-esc")).size(20.0))
                        .clicked()
                    {
                        view.confirm_buy = None;
                    }
                });
            });
    }
    if let Some(id) = buy_now {
        view.confirm_buy = None;
        match fans.buy(&catalog, &id) {
            Ok(message) => notices.push(message),
            Err(why) => notices.push(why),
        }
    }
    Ok(())
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
    painter.rect_filled(rect, 8.0, colors::PANEL);
    painter.rect_stroke(
        rect,
        8.0,
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
        ui.label(catalog.how_to_get(item));
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
