/* stub: being written */
#include "gp-test.h"

static void test_placeholder_xml(void)
{
  CU_PASS("stub");
}

static const GpTestCase cases[] = {
  GP_TEST(test_placeholder_xml),
};
GP_TEST_MAIN("xml", cases)
