/** @odoo-module **/
// Tours of the ERPNext sync's screens, driven by tests/test_tours.py against the simulator.

import { registry } from "@web/core/registry";

const tours = registry.category("web_tour.tours");

tours.add("erpnext_sync_from_contacts_start", {
    steps: () => [
        {
            content: "Press Sync from ERPNext on the contacts list",
            trigger: ".o_control_panel button[name='action_erpnext_pull']",
            run: "click",
        },
        {
            content: "The sync starts in the background",
            trigger: ".o_notification:contains(started in the background)",
        },
    ],
});

tours.add("erpnext_sync_from_contacts_result", {
    steps: () => [
        {
            content: "The list shows each contact's ERPNext ID",
            trigger: ".o_list_view .o_data_row:contains(Müller Maschinenbau GmbH) td[name='erpnext_id']:contains(Müller Maschinenbau GmbH)",
        },
        {
            content: "Open the contact",
            trigger: ".o_list_view .o_data_row td[name='complete_name']:contains(Müller Maschinenbau GmbH)",
            run: "click",
        },
        {
            content: "The form carries the ERPNext indicator with the ERPNext ID",
            trigger: ".o_form_view button[name='action_erpnext_open_link'] .o_stat_value:contains(Müller Maschinenbau GmbH)",
        },
    ],
});
