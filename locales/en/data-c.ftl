signed-state-unavailable-title = This form is not available
signed-state-unavailable-body = The form cannot accept enquiries at the moment. Nothing you type here would be sent. Please try again later, or contact the organisation another way.
signed-state-refused = This programme's stored settings do not carry the console's signature: they may have been changed in the database directly. Nothing was saved. An operator must check the programme and run `haven programme re-sign`.
