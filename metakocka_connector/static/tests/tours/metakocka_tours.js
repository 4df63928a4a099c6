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

tours.add("metakocka_fulfil_order", {
    steps: () => [
        {
            content: "Press Fulfil on the order that is in Metakocka",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_metakocka_fulfil']",
            run: "click",
        },
        {
            content: "The dialog lists the lines left to ship",
            trigger: ".modal .o_field_widget[name='line_ids'] .o_data_row:contains(Widget)",
        },
        {
            content: "Type the tracking number",
            trigger: ".modal .o_field_widget[name='tracking_ref'] input",
            run: "edit TRK-1",
        },
        {
            content: "Validate and send",
            trigger: ".modal .modal-footer button[name='action_fulfil']",
            run: "click",
        },
        {
            content: "A notification says the delivery is validated",
            trigger: ".o_notification:contains(is validated)",
        },
    ],
});

tours.add("metakocka_fulfilment_shown", {
    steps: () => [
        {
            content: "Open the Metakocka tab",
            trigger: ".o_notebook .nav-link:contains(Metakocka)",
            run: "click",
        },
        {
            content: "The fulfilment is listed with its tracking number and packing list",
            trigger: ".o_field_widget[name='metakocka_fulfilment_ids'] .o_data_row:contains(TRK-1):contains(DOB-)",
        },
        {
            content: "The order is shipped in Metakocka",
            trigger: ".o_field_widget[name='metakocka_status_id']:contains(Odpremljen)",
        },
    ],
});

tours.add("metakocka_cancel_with_reason", {
    steps: () => [
        {
            content: "Press Cancel on the order that is in Metakocka",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_cancel']",
            run: "click",
        },
        {
            content: "The cancel dialog asks for the reason Metakocka gets",
            trigger: ".modal .o_field_widget[name='metakocka_cancel_reason'] input",
            run: "edit Customer changed their mind",
        },
        {
            content: "Cancel the order",
            trigger: ".modal .modal-footer button[name='action_cancel']",
            run: "click",
        },
        {
            content: "The order is cancelled",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains(Cancelled)",
        },
    ],
});
