/** @odoo-module **/
// Tours of the Metakocka connector's screens, driven by tests/test_tours.py against the simulator.

import { registry } from "@web/core/registry";

const tours = registry.category("web_tour.tours");

tours.add("metakocka_sync_one_order", {
    steps: () => [
        {
            content: "Press Sync to Metakocka on the confirmed order",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_metakocka_sync']",
            run: "click",
        },
        {
            content: "A notification says the order was sent",
            trigger: ".o_notification:contains(sent as PP-)",
        },
        {
            content: "The badge turns to Synced",
            trigger: ".o_form_view .o_field_widget[name='metakocka_state'] .badge.text-bg-success:contains(Synced)",
        },
        {
            content: "Open the Metakocka tab",
            trigger: ".o_notebook .nav-link:contains(Metakocka)",
            run: "click",
        },
        {
            content: "It shows the Metakocka number",
            trigger: ".o_field_widget[name='metakocka_count_code']:contains(PP-)",
        },
    ],
});

tours.add("metakocka_bulk_sync_start", {
    steps: () => [
        {
            content: "Select every order in the list",
            trigger: ".o_list_view thead .o_list_record_selector input",
            run: "click",
        },
        {
            content: "Open the Actions menu",
            trigger: ".o_cp_action_menus button:contains(Actions)",
            run: "click",
        },
        {
            content: "Run Sync to Metakocka",
            trigger: ".o-dropdown--menu .o-dropdown-item:contains(Sync to Metakocka):not(:contains(all changed))",
            run: "click",
        },
        {
            content: "The run opens, queued",
            trigger: ".o_form_view .o_field_widget[name='name']:contains(Send 3 orders to Metakocka)",
        },
    ],
});

tours.add("metakocka_bulk_sync_done", {
    steps: () => [
        {
            content: "The run reached 100 %",
            trigger: ".o_form_view .o_field_widget[name='progress'] .o_progressbar_value:contains(100)",
        },
        {
            content: "Every order done, none failed",
            trigger: ".o_form_view .o_field_widget[name='done_count']:contains(3)",
        },
        {
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains(Done)",
        },
    ],
});

tours.add("metakocka_import_one_order", {
    steps: () => [
        {
            content: "The import screen lists the Metakocka order that is not in Odoo",
            trigger: ".o_field_widget[name='line_ids'] .o_data_row:contains(WEB-TOUR-1)",
        },
        {
            content: "Select it",
            trigger: ".o_field_widget[name='line_ids'] .o_data_row:contains(WEB-TOUR-1) .o_field_boolean_toggle input",
            run: "click",
        },
        {
            content: "Import",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_import_selected']",
            run: "click",
        },
        {
            content: "A notification says it was imported",
            trigger: ".o_notification:contains(1 imported, 0 failed)",
        },
    ],
});
